#!/usr/bin/env node
// Runs a state machine definition locally with aws-local-stepfunctions, after the template's DefinitionSubstitutions,
// its Task states calling local endpoints (see task-resources.mjs), and streams each execution's event log as JSON
// lines on stdout so a caller (the Java WorkflowRunner) can assert on it.
import './promise-with-resolvers.mjs';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { StateMachine } from 'aws-local-stepfunctions';
import { applySubstitutions, placeholders } from './substitutions.mjs';
import { allStates, createEnv, localTaskHandlers } from './task-resources.mjs';

const USAGE = `Usage: node run-execution.mjs --definition <file.asl.json> [options] (--input <json> | --serve)
  --definition <file>            the ASL definition (DefinitionSubstitutions applied first)
  --substitutions <json>         the substitutions, a JSON object {"Name": "value"}
  --state-machines <json>        the state machines a states:startExecution.sync:2 task may start, by ARN:
                                   {"arn:aws:states:...:stateMachine:Name": {"definition": "<file>",
                                    "substitutions": {...}}}; each runs in this process, with the waits and retry
                                   intervals of the execution that started it
  --name <name>                  the state machine's name (default: the file's name)
  --lambda-endpoint <url>        where lambda:invoke goes (default: $AWS_ENDPOINT_URL_LAMBDA)
  --cloudcontrol-endpoint <url>  where aws-sdk:cloudcontrol goes (default: $AWS_ENDPOINT_URL_CLOUDCONTROL)
  --region <region>              default: $AWS_REGION or us-east-1
  --input <json>                 run one execution with this input; exit 0 if it succeeded, 1 if not
  --skip-waits                   with --input: Wait states and retry intervals take no time
  --serve                        read execution requests from stdin, one JSON line each, run them concurrently:
                                   {"id": "e1", "input": {...}, "skipWaits": false,
                                    "waitTimeOverrides": {"WaitState": ms},
                                    "retryIntervalOverrides": {"RetryingState": ms | [ms per retrier]},
                                    "lockstep": false, "now": "<ISO time>", "childCauseInCamelCase": false}
                                 a negative ms means "really wait" (takes one state back out of skipWaits);
                                 "now": the time the execution lives in, when it is not the wall clock (a resume
                                 line may carry a new "now"); $$.State.EnteredTime reads it; "childCauseInCamelCase":
                                 a failed nested execution's Cause spells its fields as DescribeExecution's wire does
Output, one JSON line per event: {"execution": id, "type": "StateEntered", "timestamp": epochMillis, ...}; types:
  Ready (serve mode, once), ExecutionStarted, StateEntered (Wait states: waitSeconds or waitUntil, what the state
  means to wait), TaskScheduled (state, seq, resource, parameters; in lockstep the call waits for a stdin line
  {"resume": id, "seq": n, "now": "<ISO time>"?}), StateExited, StateFailed, StateRetried, StateCaught,
  MapIteration*/ParallelBranch*, ChildExecutionStarted (executionArn, input) and ChildExecutionEnded (executionArn,
  status, Error, Cause, states: the names entered, retries) for each nested execution, EventPublished (one per
  events:putEvents entry: eventBusName, source, detailType, detail, resources), ExecutionSucceeded (output),
  ExecutionFailed (Error, Cause), ExecutionTimeout, ExecutionAborted, RunnerError (message: the request could not
  be run).`;

const { values: opts } = parseArgs({
  options: {
    definition: { type: 'string' },
    substitutions: { type: 'string', default: '{}' },
    'state-machines': { type: 'string', default: '{}' },
    name: { type: 'string' },
    'lambda-endpoint': { type: 'string', default: process.env.AWS_ENDPOINT_URL_LAMBDA },
    'cloudcontrol-endpoint': { type: 'string', default: process.env.AWS_ENDPOINT_URL_CLOUDCONTROL },
    region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
    input: { type: 'string' },
    'skip-waits': { type: 'boolean', default: false },
    serve: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help || !opts.definition || (opts.input === undefined) === !opts.serve) {
  (opts.help ? console.log : console.error)(USAGE);
  process.exit(opts.help ? 0 : 2);
}

const ACCOUNT = '123456789012';
const stateMachineArn = (name) => `arn:aws:states:${opts.region}:${ACCOUNT}:stateMachine:${name}`;
const executionArn = (stateMachine, name) => `arn:aws:states:${opts.region}:${ACCOUNT}:execution:${stateMachine}:${name}`;
const env = createEnv({
  lambdaEndpoint: opts['lambda-endpoint'],
  cloudControlEndpoint: opts['cloudcontrol-endpoint'],
  region: opts.region,
});

/** A definition after its DefinitionSubstitutions, ready to run, with its Task handlers. */
function load(file, substitutions, name) {
  const text = applySubstitutions(readFileSync(file, 'utf8'), substitutions);
  const unresolved = placeholders(text);
  if (unresolved.length > 0) {
    console.error(`No value given for DefinitionSubstitutions ${unresolved.join(', ')} of ${file}`);
    process.exit(2);
  }
  const definition = JSON.parse(text);
  return {
    name,
    definition,
    stateMachine: new StateMachine(definition, { awsConfig: { region: opts.region } }),
    taskHandlers: localTaskHandlers(definition, env),
  };
}

const stateMachineName = opts.name ?? basename(opts.definition).replace(/\.asl\.json$|\.json$/, '');
const { definition, stateMachine, taskHandlers } = load(opts.definition, JSON.parse(opts.substitutions), stateMachineName);
/** What a states:startExecution.sync:2 task can start, by state machine ARN. */
const children = new Map(Object.entries(JSON.parse(opts['state-machines'])).map(([arn, { definition: file, substitutions }]) =>
  [arn, load(file, substitutions ?? {}, arn.split(':').pop())]));

/** Runs one execution to its end, writing its events; resolves to whether it succeeded. */
async function runExecution(request) {
  const id = String(request.id);
  const emit = (event) => process.stdout.write(`${JSON.stringify({ execution: id, ...event })}\n`);
  const clock = clockOf(request);
  clocks.set(id, clock);
  try {
    const caller = callerOf(stateMachineName, id, request, emit, clock);
    let execution;
    try {
      execution = stateMachine.run(request.input ?? {}, {
        overrides: {
          taskResourceLocalHandlers: scheduledTasks(id, request.lockstep, emit, caller),
          ...timeOverrides(request, definition),
        },
        context: contextOf(stateMachineName, id, clock),
      });
    } catch (e) {
      emit({ type: 'RunnerError', timestamp: Date.now(), message: String(e?.stack ?? e) });
      return false;
    }
    let succeeded = false;
    for await (const event of execution.eventLogs) {
      emit(describe(event));
      succeeded ||= event.type === 'ExecutionSucceeded';
    }
    await execution.result.catch(() => {}); // the failure is already in the event log
    return succeeded;
  } finally {
    clocks.delete(id);
  }
}

/**
 * The Context object. aws-local-stepfunctions gives none of its own State fields; State.EnteredTime is read when a
 * path asks for it, which for a Pass or a Choice is when the state is entered.
 */
function contextOf(name, id, clock) {
  return {
    Execution: { Id: executionArn(name, id), Name: id },
    StateMachine: { Id: stateMachineArn(name), Name: name },
    State: { get EnteredTime() { return new Date(clock.now()).toISOString(); } },
  };
}

const clocks = new Map(); // executionId -> its clock, for the "now" a resume line carries

/** The wall clock, or the caller's: "now" at the start, and again on any resume line that carries one. */
function clockOf(request) {
  if (request.now === undefined) return { now: () => Date.now(), set: () => {} };
  let millis = Date.parse(request.now);
  return { now: () => millis, set: (iso) => { millis = Date.parse(iso); } };
}

/**
 * What a Task handler may ask of the execution that calls it (task-resources.mjs): its ARNs, to run a nested
 * execution of a known state machine, and to record an event it published.
 */
function callerOf(name, id, request, emit, clock) {
  return {
    executionArn: executionArn(name, id),
    stateMachineArn: stateMachineArn(name),
    runChild: (arn, input, childName) => runChild(arn, input, childName, request, emit, clock),
    childCauseInCamelCase: request.childCauseInCamelCase === true,
    published: (event) => emit({ type: 'EventPublished', timestamp: Date.now(), ...event }),
  };
}

/**
 * Runs a nested execution to its end in this process, with the waits and retry intervals of the request that
 * started it; its own states are not interleaved with its parent's, only summarized (ChildExecutionEnded).
 * Resolves to undefined when no such state machine is known.
 */
async function runChild(arn, input, name, request, emit, clock) {
  const child = children.get(arn);
  if (!child) return undefined;
  const id = executionArn(child.name, name);
  const startDate = Date.now();
  emit({ type: 'ChildExecutionStarted', timestamp: startDate, executionArn: id, input });
  const caller = callerOf(child.name, name, request, emit, clock);
  const execution = child.stateMachine.run(input, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(Object.entries(child.taskHandlers)
        .map(([state, handler]) => [state, (parameters) => handler(parameters, caller)])),
      ...timeOverrides(request, child.definition),
    },
    context: contextOf(child.name, name, clock),
  });
  const run = { executionArn: id, name, startDate, status: 'RUNNING', states: [], retries: 0 };
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') run.states.push(event.state.name);
    if (event.type === 'StateRetried') run.retries++;
    if (event.type === 'ExecutionSucceeded') Object.assign(run, { status: 'SUCCEEDED', output: event.output });
    if (event.type === 'ExecutionFailed') Object.assign(run, { status: 'FAILED', error: event.Error, cause: event.Cause });
    if (event.type === 'ExecutionTimeout') Object.assign(run, { status: 'TIMED_OUT', error: 'States.Timeout' });
    if (event.type === 'ExecutionAborted') run.status = 'ABORTED';
  }
  await execution.result.catch(() => {}); // the ending is in the event log
  run.stopDate = Date.now();
  emit({
    type: 'ChildExecutionEnded', timestamp: run.stopDate, executionArn: id, status: run.status,
    Error: run.error, Cause: run.cause, states: run.states, retries: run.retries,
  });
  return run;
}

const resumes = new Map(); // `${executionId}#${seq}` -> resolve, for lockstep executions

/**
 * The Task handlers of one execution: each call is announced with a TaskScheduled event (as in a Step Functions
 * history) once every earlier event is written; in lockstep, the call waits until the caller answers
 * {"resume": id, "seq": n}, so whoever watches the events can act (e.g. move a clock) before the call is made.
 */
function scheduledTasks(id, lockstep, emit, caller) {
  let seq = 0;
  return Object.fromEntries(Object.entries(taskHandlers).map(([state, handler]) => [state, async (parameters) => {
    await new Promise((resolve) => setImmediate(resolve)); // the event loop above drains its queue first
    const n = ++seq;
    const resumed = lockstep ? new Promise((resolve) => resumes.set(`${id}#${n}`, resolve)) : undefined;
    emit({ type: 'TaskScheduled', timestamp: Date.now(), state, seq: n, resource: resourceOf[state], parameters });
    await resumed;
    return handler(parameters, caller);
  }]));
}
const resourceOf = Object.fromEntries([...allStates(definition)].map(([name, state]) => [name, state.Resource]));

/**
 * Wait and retry-interval overrides in milliseconds by state name of one definition; skipWaits sets every one
 * to 0 first.
 */
function timeOverrides({ skipWaits = false, waitTimeOverrides = {}, retryIntervalOverrides = {} }, ofDefinition) {
  const waits = {};
  const retries = {};
  if (skipWaits) {
    for (const [name, state] of allStates(ofDefinition)) {
      if (state.Type === 'Wait') waits[name] = 0;
      if (state.Retry) retries[name] = 0;
    }
  }
  // A negative override means "really wait": it takes a state back out of skipWaits.
  const real = (overrides) => Object.fromEntries(Object.entries(overrides).filter(([, ms]) => !(ms < 0)));
  return {
    waitTimeOverrides: real({ ...waits, ...waitTimeOverrides }),
    retryIntervalOverrides: real({ ...retries, ...retryIntervalOverrides }),
  };
}

/** The library's event, flattened: the state's name rather than its whole input on every line. */
function describe(event) {
  const { type, timestamp } = event;
  const out = { type, timestamp };
  if (event.state) {
    Object.assign(out, { state: event.state.name, stateType: event.state.type });
    if (type === 'StateEntered') out.input = event.state.input;
    if (type === 'StateEntered' && event.state.type === 'Wait') Object.assign(out, intendedWait(event.state));
    if (type === 'StateExited') out.output = event.state.output;
  }
  if (event.parentState) out.parentState = event.parentState.name;
  if (event.index !== undefined) out.index = event.index;
  if ('Error' in event) Object.assign(out, { Error: event.Error, Cause: event.Cause });
  if (event.retry) Object.assign(out, { ErrorEquals: event.retry.retrier.ErrorEquals, attempt: event.retry.attempt });
  if (event.catch) Object.assign(out, { ErrorEquals: event.catch.catcher.ErrorEquals, Next: event.catch.catcher.Next });
  if (type === 'ExecutionStarted') out.input = event.input;
  if (type === 'ExecutionSucceeded') out.output = event.output;
  return out;
}

/**
 * How long a Wait state means to wait, from its definition and input: {waitSeconds} or {waitUntil}, whatever an
 * override makes it really do. Lets a caller keep a simulated clock in step with skipped waits. Simple paths only.
 */
function intendedWait({ name, input }) {
  const state = waitStates[name];
  const at = (path) => (/^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)
    ? path.split('.').slice(1).reduce((value, key) => value?.[key], input) : undefined);
  if (state.Seconds !== undefined) return { waitSeconds: state.Seconds };
  if (state.SecondsPath) return { waitSeconds: at(state.SecondsPath) };
  if (state.Timestamp) return { waitUntil: state.Timestamp };
  if (state.TimestampPath) return { waitUntil: at(state.TimestampPath) };
  return {};
}
const waitStates = Object.fromEntries([...allStates(definition)].filter(([, state]) => state.Type === 'Wait'));

if (opts.serve) {
  process.stdout.write(`${JSON.stringify({ type: 'Ready', timestamp: Date.now(), stateMachine: stateMachineName })}\n`);
  const running = [];
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    let request;
    try {
      request = JSON.parse(line);
    } catch (e) {
      process.stdout.write(`${JSON.stringify({ type: 'RunnerError', timestamp: Date.now(), message: `not JSON: ${line}` })}\n`);
      continue;
    }
    if (request.resume !== undefined) {
      if (request.now !== undefined) clocks.get(String(request.resume))?.set(request.now);
      const key = `${request.resume}#${request.seq}`;
      resumes.get(key)?.();
      resumes.delete(key);
      continue;
    }
    running.push(runExecution(request));
  }
  await Promise.all(running);
} else {
  const succeeded = await runExecution({ id: '1', input: JSON.parse(opts.input), skipWaits: opts['skip-waits'] });
  process.exitCode = succeeded ? 0 : 1;
}
env.lambda.destroy(); // pooled keep-alive sockets would hold the process open
env.cloudControl.destroy();
