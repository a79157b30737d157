%% The counter every system serves: {incr, By} adds By and replies {ok, N, Incarnation};
%% a cast of crash makes the process exit with an error. With a table, the count is read from
%% it in init and written to it on every change (the plain in-memory map the Java peers use).
%% init sends {started, Name, Incarnation, Time} to the process registered as bench_announce, if any.
-module(bench_counter).
-behaviour(gen_server).
-export([start_link/2, init/1, handle_call/3, handle_cast/2]).

start_link(Name, Table) ->
    gen_server:start_link({local, Name}, ?MODULE, {Name, Table}, []).

init({Key, Table}) ->
    %% Announce the new incarnation first thing, to whoever times restarts (no polling).
    Now = erlang:monotonic_time(nanosecond),
    Inc = erlang:unique_integer([positive, monotonic]),
    case whereis(bench_announce) of
        undefined -> ok;
        Timer -> Timer ! {started, Key, Inc, Now}
    end,
    N = case Table of
            none -> 0;
            _ -> case ets:lookup(Table, Key) of
                     [{_, V}] -> V;
                     [] -> 0
                 end
        end,
    {ok, {Key, Table, Inc, N}}.

handle_call({incr, By}, _From, {Key, Table, Inc, N}) ->
    N1 = N + By,
    case Table of
        none -> ok;
        _ -> ets:insert(Table, {Key, N1})
    end,
    {reply, {ok, N1, Inc}, {Key, Table, Inc, N1}}.

handle_cast(crash, _State) ->
    error(crash_requested).
