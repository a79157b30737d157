%% The supervisors of the OTP peer: one_for_one over the counter, simple_one_for_one over idle
%% children (scale), one_for_all over K idle children, one_for_one over two counters (crash storm).
%% Intensity high enough never to escalate (restart latency is measured, not escalation); the
%% paced restart figure uses a lower one, so that the restart history walked on each restart stays short.
-module(bench_sup).
-behaviour(supervisor).
-export([start_link/1, init/1]).

start_link(What) ->
    supervisor:start_link(?MODULE, What).

flags(Strategy) ->
    flags(Strategy, 1000000).

flags(Strategy, Intensity) ->
    #{strategy => Strategy, intensity => Intensity, period => 1}.

init({counter, Name, Table}) ->
    init({counter, Name, Table, 1000000});
init({counter, Name, Table, Intensity}) ->
    {ok, {flags(one_for_one, Intensity),
          [#{id => counter, start => {bench_counter, start_link, [Name, Table]}}]}};
init({storm, Victim, Calls}) ->
    {ok, {flags(one_for_one),
          [#{id => victim, start => {bench_counter, start_link, [Victim, none]}},
           #{id => calls, start => {bench_counter, start_link, [Calls, none]}}]}};
init(scale) ->
    {ok, {flags(simple_one_for_one),
          [#{id => idle, start => {bench_idle, start_link, []}}]}};
init({one_for_all, K}) ->
    {ok, {flags(one_for_all),
          [#{id => {c, I}, start => {bench_idle, start_link, [true]}} || I <- lists:seq(0, K - 1)]}}.
