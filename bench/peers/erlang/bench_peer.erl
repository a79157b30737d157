%% The Erlang/OTP peer of Overseer's benchmarks: the same scenarios as the Java harness
%% (dev.overseer.bench.Harness), written as plainly as OTP allows, printing the same JSON shape.
%% Run: erl -noshell -pa <ebin> -run bench_peer main <quick|full> <out.json>
-module(bench_peer).
-export([main/1]).

%% Keep in step with dev.overseer.bench.Mode.
mode("quick") ->
    #{cold_crashes => 20, warmup_crashes => 2000, crashes => 200, pace => 10,
      warmup => 1000, measure => 1000, window => 32, latency_calls => 5000,
      children => 10000, ofa_children => 1000, ofa_rounds => 3, rounds => 1};
mode("full") ->
    #{cold_crashes => 20, warmup_crashes => 12000, crashes => 1000, pace => 10,
      warmup => 3000, measure => 3000, window => 32, latency_calls => 30000,
      children => 100000, ofa_children => 1000, ofa_rounds => 10, rounds => 2}.

-define(PACED_INTENSITY, 1000).

main([ModeName, Out]) ->
    %% Crash reports off, as on every side: a report per crash would measure the console.
    logger:set_primary_config(level, none),
    T0 = now_ns(),
    Version = "OTP " ++ erlang:system_info(otp_release) ++ " (erts " ++ erlang:system_info(version) ++ ")",
    Result = try
                 Mode = mode(ModeName),
                 Figures = lists:append([restart(Mode), calls(Mode), storm(Mode), one_for_all(Mode), scale(Mode)]),
                 {ok, Figures}
             catch Class:Reason:Stack ->
                 {failed, lists:flatten(io_lib:format("~p:~p ~p", [Class, Reason, Stack]))}
             end,
    Wall = (now_ns() - T0) / 1.0e9,
    Json = case Result of
               {ok, Figs} ->
                   [${, kv("system", str("otp")), $,, kv("version", str(Version)), $,,
                    kv("status", str("ok")), $,, kv("figures", obj([F || {fig, F} <- Figs])), $,,
                    kv("skipped", obj([])), $,, kv("notes", obj([N || {note, N} <- Figs])), $,,
                    kv("wallSeconds", num(Wall)), $}];
               {failed, Why} ->
                   [${, kv("system", str("otp")), $,, kv("version", str(Version)), $,,
                    kv("status", str("failed")), $,, kv("reason", str(Why)), $,,
                    kv("figures", obj([])), $,, kv("skipped", obj([])), $,, kv("notes", obj([])), $,,
                    kv("wallSeconds", num(Wall)), $}]
           end,
    ok = file:write_file(Out, Json),
    erlang:halt(case Result of {ok, _} -> 0; _ -> 1 end).

%% ------------------------------------------------------------------ restart

restart(#{cold_crashes := Cold, warmup_crashes := Warmup, crashes := Crashes, pace := Pace}) ->
    Table = ets:new(bench_store, [public, set]),
    {ok, Paced} = bench_sup:start_link({counter, bench_restart, Table, ?PACED_INTENSITY}),
    unlink(Paced),
    {ColdNanos, Lost0} = paced_restarts(bench_restart, Cold, Pace),
    {ok, Sup} = bench_sup:start_link({counter, bench_warm, Table}),
    unlink(Sup),
    T0 = now_ns(),
    {WarmupNanos, Lost1, Retries} = restarts(bench_warm, Warmup div 2),
    T1 = now_ns(),
    {FirstReply, Lost2, _} = restarts(bench_warm, Warmup - Warmup div 2),
    T2 = now_ns(),
    _ = {WarmupNanos, T0},
    {Nanos, Lost3} = paced_restarts(bench_restart, Crashes, Pace),
    latencies("restart.cold", ColdNanos) ++ latencies("restart", Nanos) ++
        latencies("restart.firstReply", FirstReply) ++
        [higher("restart.sustained", (Warmup - Warmup div 2) / ((T2 - T1) / 1.0e9), "restarts/s"),
         info("restart.stateLost", Lost0 + Lost1 + Lost2 + Lost3, "count"), info("restart.retries", Retries, "count"),
         note("restart", "gen_server (counter restored from a public ETS table in init, written on every call) "
              "under a one_for_one supervisor of intensity " ++ integer_to_list(?PACED_INTENSITY) ++ "/1 s, crashes "
              "at least " ++ integer_to_list(Pace) ++ " ms apart (a short restart history); time from "
              "gen_server:cast(crash) to the new process's init (it sends a message: no polling). "
              "restart.firstReply.* and restart.sustained: unpaced cast-then-call loop (intensity 1000000/1 s), "
              "calls that exit (noproc, or the old process dying) retried at once")].

%% Crashes, at least Pace ms apart; each timed from the cast to the new init's announcement.
%% Between two crashes, untimed, a call checks that the count survived.
paced_restarts(Name, Crashes, Pace) ->
    register(bench_announce, self()),
    {ok, N0, Inc0} = gen_server:call(Name, {incr, 1}),
    Result = paced_rounds(Name, Crashes, Pace, N0, Inc0, [], 0),
    unregister(bench_announce),
    flush_announcements(),
    Result.

paced_rounds(_Name, 0, _Pace, _N, _Inc, Acc, Lost) ->
    {Acc, Lost};
paced_rounds(Name, Left, Pace, N, Inc, Acc, Lost) ->
    T0 = now_ns(),
    gen_server:cast(Name, crash),
    T = receive {started, Name, _, At} -> At - T0
        after 10000 -> error({no_restart_announced, Name})
        end,
    {_, N1, Inc1, _} = attempt(Name, T0, N, Inc, 0),
    Lost1 = case N1 =:= N + 1 of true -> Lost; false -> Lost + 1 end,
    Wait = Pace - (now_ns() - T0) div 1000000,
    case Wait > 0 of true -> timer:sleep(Wait); false -> ok end,
    paced_rounds(Name, Left - 1, Pace, N1, Inc1, [T | Acc], Lost1).

flush_announcements() ->
    receive {started, _, _, _} -> flush_announcements()
    after 0 -> ok
    end.

restarts(Name, Crashes) ->
    {ok, N0, Inc0} = gen_server:call(Name, {incr, 1}),
    restart_rounds(Name, Crashes, N0, Inc0, [], 0, 0).

restart_rounds(_Name, 0, _N, _Inc, Acc, Lost, Retries) ->
    {Acc, Lost, Retries};
restart_rounds(Name, Left, N, Inc, Acc, Lost, Retries) ->
    T0 = now_ns(),
    gen_server:cast(Name, crash),
    {T, N1, Inc1, R} = attempt(Name, T0, N, Inc, 0),
    Lost1 = case N1 =:= N + 1 of true -> Lost; false -> Lost + 1 end,
    restart_rounds(Name, Left - 1, N1, Inc1, [T | Acc], Lost1, Retries + R).

attempt(Name, T0, LastN, LastInc, Retries) ->
    try gen_server:call(Name, {incr, 1}, 10000) of
        {ok, N, LastInc} -> attempt(Name, T0, N, LastInc, Retries + 1);
        {ok, N, Inc} -> {now_ns() - T0, N, Inc, Retries}
    catch
        exit:_ -> attempt(Name, T0, LastN, LastInc, Retries + 1)
    end.

%% ------------------------------------------------------------------ calls

calls(#{window := W, warmup := Warm, measure := Measure, latency_calls := M, rounds := Rounds}) ->
    {ok, Sup} = bench_sup:start_link({counter, bench_calls, none}),
    unlink(Sup),
    Rates = throughput(bench_calls, W, Warm, Measure, Rounds),
    _ = call_latencies(bench_calls, M div 5),
    [higher("call.throughput", median(Rates), "calls/s"),
     info("call.throughput.min", lists:min(Rates), "calls/s"),
     info("call.throughput.max", lists:max(Rates), "calls/s")] ++
        latencies("call.latency", call_latencies(bench_calls, M)) ++
        [note("call", "gen_server:call from " ++ integer_to_list(W) ++ " client processes for throughput, "
              "one process one call at a time for latency; default schedulers (one per core)")].

%% Rounds as the Java sides: after the warm-up, Rounds measurements of Measure ms, median kept.
throughput(Name, W, Warm, Measure, Rounds) ->
    C = counters:new(1, [write_concurrency]),
    Stop = atomics:new(1, []),
    Clients = [spawn_monitor(fun() -> client(Name, C, Stop) end) || _ <- lists:seq(1, W)],
    timer:sleep(Warm),
    Rates = [begin
                 timer:sleep(500),
                 C0 = counters:get(C, 1),
                 T0 = now_ns(),
                 timer:sleep(Measure),
                 (counters:get(C, 1) - C0) / ((now_ns() - T0) / 1.0e9)
             end || _ <- lists:seq(1, Rounds)],
    atomics:put(Stop, 1, 1),
    [receive {'DOWN', Ref, process, Pid, normal} -> ok;
             {'DOWN', Ref, process, Pid, Why} -> error({client_failed, Why})
     end || {Pid, Ref} <- Clients],
    Rates.

median(Values) ->
    Sorted = lists:sort(Values),
    N = length(Sorted),
    case N rem 2 of
        1 -> lists:nth(N div 2 + 1, Sorted);
        0 -> (lists:nth(N div 2, Sorted) + lists:nth(N div 2 + 1, Sorted)) / 2
    end.

client(Name, C, Stop) ->
    case atomics:get(Stop, 1) of
        1 -> ok;
        0 ->
            {ok, _, _} = gen_server:call(Name, {incr, 1}),
            counters:add(C, 1, 1),
            client(Name, C, Stop)
    end.

call_latencies(Name, M) ->
    [begin
         T = now_ns(),
         {ok, _, _} = gen_server:call(Name, {incr, 1}),
         now_ns() - T
     end || _ <- lists:seq(1, M)].

%% ------------------------------------------------------------------ crash storm

%% Calls to one counter (W clients, every call timed while measuring) while its sibling under the
%% same supervisor is crashed again as soon as it answers.
storm(#{window := W, warmup := Warm, measure := Measure}) ->
    {ok, Sup} = bench_sup:start_link({storm, bench_storm_victim, bench_storm_calls}),
    unlink(Sup),
    Self = self(),
    StopStorm = atomics:new(1, []),
    {Stormer, SRef} = spawn_monitor(fun() -> Self ! {storm_done, storm_loop(StopStorm, 0)} end),
    C = counters:new(1, [write_concurrency]),
    Flags = atomics:new(2, []), %% 1: stop, 2: measuring
    Clients = [spawn_monitor(fun() -> Self ! {samples, self(), timed_client(bench_storm_calls, C, Flags, [])} end)
               || _ <- lists:seq(1, W)],
    timer:sleep(Warm),
    atomics:put(Flags, 2, 1),
    C0 = counters:get(C, 1),
    T0 = now_ns(),
    timer:sleep(Measure),
    PerSecond = (counters:get(C, 1) - C0) / ((now_ns() - T0) / 1.0e9),
    atomics:put(Flags, 2, 0),
    atomics:put(Flags, 1, 1),
    Samples = lists:append([receive {samples, Pid, S} -> S end || {Pid, _} <- Clients]),
    [receive {'DOWN', Ref, process, Pid, _} -> ok end || {Pid, Ref} <- Clients],
    atomics:put(StopStorm, 1, 1),
    Restarts = receive {storm_done, R} -> R after 60000 -> error(storm_did_not_stop) end,
    receive {'DOWN', SRef, process, Stormer, _} -> ok end,
    exit(Sup, shutdown),
    [higher("storm.call.throughput", PerSecond, "calls/s")] ++ latencies("storm.call.latency", Samples) ++
        [info("storm.restartsPerSecond", Restarts / ((Warm + Measure) / 1000), "restarts/s"),
         note("storm", "gen_server:call from " ++ integer_to_list(W) ++ " processes to one counter while its sibling "
              "under the same one_for_one supervisor (intensity 1000000/1 s) is crashed again as soon as it answers")].

storm_loop(Stop, Count) ->
    case atomics:get(Stop, 1) of
        1 -> Count;
        0 ->
            {ok, N, Inc} = gen_server:call(bench_storm_victim, {incr, 1}),
            gen_server:cast(bench_storm_victim, crash),
            _ = attempt(bench_storm_victim, now_ns(), N, Inc, 0),
            storm_loop(Stop, Count + 1)
    end.

timed_client(Name, C, Flags, Acc) ->
    case atomics:get(Flags, 1) of
        1 -> Acc;
        0 ->
            T = now_ns(),
            {ok, _, _} = gen_server:call(Name, {incr, 1}),
            counters:add(C, 1, 1),
            case atomics:get(Flags, 2) of
                1 -> timed_client(Name, C, Flags, [now_ns() - T | Acc]);
                0 -> timed_client(Name, C, Flags, Acc)
            end
    end.

%% ------------------------------------------------------------------ one_for_all

one_for_all(#{ofa_children := K, ofa_rounds := Rounds}) ->
    register(bench_collector, self()),
    {ok, Sup} = bench_sup:start_link({one_for_all, K}),
    unlink(Sup),
    collect(K),
    [_Warm | Times] = [ofa_round(Sup, K) || _ <- lists:seq(0, Rounds)],
    Sorted = lists:sort(Times),
    exit(Sup, shutdown),
    unregister(bench_collector),
    [lower("oneForAll.restart.p50", percentile(Sorted, 50) / 1.0e6, "ms"),
     lower("oneForAll.restart.max", lists:last(Sorted) / 1.0e6, "ms"),
     info("oneForAll.children", K, "count"),
     note("oneForAll", "one_for_all supervisor with " ++ integer_to_list(K) ++ " idle gen_servers; one crashes; "
          "time until every child's init has run again")].

ofa_round(Sup, K) ->
    {_, Pid, _, _} = lists:keyfind({c, 0}, 1, supervisor:which_children(Sup)),
    T0 = now_ns(),
    gen_server:cast(Pid, crash),
    collect(K),
    now_ns() - T0.

collect(0) -> ok;
collect(K) ->
    receive started -> collect(K - 1)
    after 120000 -> error({one_for_all_restart_timeout, K})
    end.

%% ------------------------------------------------------------------ scale

scale(#{children := N}) ->
    {ok, Sup} = bench_sup:start_link(scale),
    unlink(Sup),
    M0 = settled_memory(),
    R0 = rss(),
    T0 = now_ns(),
    {Started, Stopped} = start_children(Sup, 0, N),
    T1 = now_ns(),
    M1 = settled_memory(),
    R1 = rss(),
    Seconds = (T1 - T0) / 1.0e9,
    [info("scale.children", Started, "count"),
     lower("scale.startAll", Seconds * 1000, "ms"),
     higher("scale.startRate", Started / Seconds, "children/s"),
     lower("scale.heapPerChild", (M1 - M0) / Started, "bytes"),
     lower("scale.rssPerChild", (R1 - R0) / Started, "bytes"),
     note("scale", "supervisor:start_child on a simple_one_for_one supervisor of idle gen_servers, one after "
          "another; memory = erlang:memory(total) after garbage-collecting every process, after minus before"
          ++ Stopped)].

start_children(_Sup, Started, N) when Started >= N -> {Started, ""};
start_children(Sup, Started, N) ->
    case supervisor:start_child(Sup, [false]) of
        {ok, _} -> start_children(Sup, Started + 1, N);
        Other -> {Started, lists:flatten(io_lib:format("; STOPPED EARLY at ~p: ~p", [Started, Other]))}
    end.

%% Resident set size of the emulator, from /proc (VmRSS, in kB).
rss() ->
    {ok, Bin} = file:read_file("/proc/self/status"),
    [Line] = [L || L <- string:split(binary_to_list(Bin), "\n", all), lists:prefix("VmRSS:", L)],
    list_to_integer(string:trim(lists:filter(fun(Ch) -> Ch >= $0 andalso Ch =< $9 end, Line))) * 1024.

settled_memory() ->
    [erlang:garbage_collect(P) || P <- processes()],
    erlang:memory(total).

%% ------------------------------------------------------------------ figures and JSON

latencies(Prefix, Nanos) ->
    Sorted = lists:sort(Nanos),
    [lower(Prefix ++ ".p50", percentile(Sorted, 50) / 1000, "us"),
     lower(Prefix ++ ".p99", percentile(Sorted, 99) / 1000, "us"),
     lower(Prefix ++ ".mean", lists:sum(Sorted) / max(1, length(Sorted)) / 1000, "us"),
     info(Prefix ++ ".samples", length(Sorted), "count")].

%% Nearest rank, as the Java side.
percentile([], _) -> 0;
percentile(Sorted, P) ->
    Rank = max(1, min(length(Sorted), ceil(P / 100 * length(Sorted)))),
    lists:nth(Rank, Sorted).

lower(K, V, U) -> fig(K, V, U, "lower").
higher(K, V, U) -> fig(K, V, U, "higher").
info(K, V, U) -> fig(K, V, U, "none").

fig(K, V, U, Better) ->
    {fig, kv(K, [${, kv("value", num(V)), $,, kv("unit", str(U)), $,, kv("better", str(Better)), $}])}.

note(K, Text) -> {note, kv(K, str(Text))}.

kv(K, V) -> [str(K), $:, V].
obj(Pairs) -> [${, lists:join($,, Pairs), $}].
num(V) when is_integer(V) -> integer_to_list(V);
num(V) -> float_to_list(V, [{decimals, 3}, compact]).
str(S) -> [$", escape(lists:flatten(S)), $"].
escape([]) -> [];
escape([$" | T]) -> [$\\, $" | escape(T)];
escape([$\\ | T]) -> [$\\, $\\ | escape(T)];
escape([$\n | T]) -> [$\\, $n | escape(T)];
escape([C | T]) when C < 32 -> [$\s | escape(T)];
escape([C | T]) -> [C | escape(T)].

now_ns() -> erlang:monotonic_time(nanosecond).
