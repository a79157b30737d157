/**
 * Overseer's internals; users never import this package. Where each concept lives:
 *
 * <ul>
 *   <li><b>Crash detection</b> (failed start, a throwable reaching the child's context, an
 *       explicit exit, a self-undeploy) and <b>kill</b>: {@link dev.overseer.impl.ChildHost}, the
 *       decorator deployed in place of every child incarnation.</li>
 *   <li><b>Operations, exit handling, restarts, escalation</b>: {@link dev.overseer.impl.SupervisorEngine}
 *       (its class comment states the algorithm), one task at a time through a
 *       {@link dev.overseer.impl.SerialQueue}; what differs for a dynamic supervisor is its
 *       {@code SupervisorKind}.</li>
 *   <li><b>An incarnation's lifecycle</b> (deploy, the bounded stop shared with {@code ChildHost},
 *       kill, waiting for Vert.x to drop a deployment): {@code Incarnations}.</li>
 *   <li><b>Events and the crash log line</b>: {@code SupervisorEvents}.</li>
 *   <li><b>{@code vertx.close()}</b>: {@code VertxCloseHook} lets a root supervisor stop its tree
 *       in order before Vert.x undeploys anything.</li>
 *   <li><b>Pure rules</b> with no Vert.x: which siblings a strategy touches and whether an exit
 *       restarts ({@link dev.overseer.impl.Strategies}), the restart intensity window
 *       ({@link dev.overseer.impl.IntensityWindow}), spec and option validation
 *       ({@link dev.overseer.impl.SpecValidator}).</li>
 *   <li><b>Names</b>: {@link dev.overseer.impl.LocalNameRegistry}, the default
 *       {@link dev.overseer.NameRegistry}; {@link dev.overseer.impl.Registry} is the servers'
 *       local index until they use the name registry too.</li>
 *   <li><b>The event-bus API</b>: {@link dev.overseer.impl.ControlEndpoint} serves a supervisor's
 *       control address; {@link dev.overseer.impl.RemoteSupervisorRef} is its client.</li>
 *   <li><b>Vert.x glue</b>: {@link dev.overseer.impl.Contexts} (completing on the right context,
 *       the detached launch context), {@link dev.overseer.impl.VertxFailures} (the only place that
 *       reads Vert.x failure texts).</li>
 *   <li><b>Servers' state loading</b>: {@link dev.overseer.impl.StateLoader}.</li>
 * </ul>
 */
package dev.overseer.impl;
