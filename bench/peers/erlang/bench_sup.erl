%% The supervisors of the OTP peer: one_for_one over the counter, simple_one_for_one over idle
%% children (scale), one_for_all over K idle children. Intensity high enough never to escalate:
%% restart latency is measured, not escalation.
-module(bench_sup).
-behaviour(supervisor).
-export([start_link/1, init/1]).

start_link(What) ->
    supervisor:start_link(?MODULE, What).

flags(Strategy) ->
    #{strategy => Strategy, intensity => 1000000, period => 1}.

init({counter, Name, Table}) ->
    {ok, {flags(one_for_one),
          [#{id => counter, start => {bench_counter, start_link, [Name, Table]}}]}};
init(scale) ->
    {ok, {flags(simple_one_for_one),
          [#{id => idle, start => {bench_idle, start_link, []}}]}};
init({one_for_all, K}) ->
    {ok, {flags(one_for_all),
          [#{id => {c, I}, start => {bench_idle, start_link, [true]}} || I <- lists:seq(0, K - 1)]}}.
