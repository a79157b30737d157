%% An idle child for the scale figures: a gen_server holding a counter. When told to, its init
%% sends 'started' to the process registered as bench_collector (the one-for-all timing).
-module(bench_idle).
-behaviour(gen_server).
-export([start_link/1, init/1, handle_call/3, handle_cast/2]).

start_link(Notify) ->
    gen_server:start_link(?MODULE, Notify, []).

init(Notify) ->
    case Notify of
        true -> bench_collector ! started;
        false -> ok
    end,
    {ok, 0}.

handle_call(incr, _From, N) ->
    {reply, N + 1, N + 1}.

handle_cast(crash, _N) ->
    error(crash_requested).
