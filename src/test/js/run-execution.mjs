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
  --name <name>                  the state machine's name (default: the file's name)
  --lambda-endpoint <url>        where lambda:invoke goes (default: $AWS_ENDPOINT_URL_LAMBDA)
  --cloudcontrol-endpoint <url>  where aws-sdk:cloudcontrol goes (default: $AWS_ENDPOINT_URL_CLOUDCONTROL)
  --region <region>              default: $AWS_REGION or us-east-1
  --input <json>                 run one execution with this input; exit 0 if it succeeded, 1 if not
  --skip-waits                   with --input: Wait states and retry intervals take no time
  --serve                        read execution requests from stdin, one JSON line each, run them concurrently:
                                   {"id": "e1", "input": {...}, "skipWaits": false,
                                    "waitTimeOverrides": {"WaitState": ms},
                                    "retryIntervalOverrides": {"RetryingState": ms | [ms per retrier]}}
                                 a negative ms means "really wait" (takes one state back out of skipWaits)
Output, one JSON line per event: {"execution": id, "type": "StateEntered", "timestamp": epochMillis, ...}; types:
  Ready (serve mode, once), ExecutionStarted, StateEntered, StateExited, StateFailed, StateRetried, StateCaught,
  MapIteration*/ParallelBranch*, ExecutionSucceeded (output), ExecutionFailed (Error, Cause), ExecutionTimeout,
  ExecutionAborted, RunnerError (message: the request could not be run).`;

const { values: opts } = parseArgs({
  options: {
    definition: { type: 'string' },
    substitutions: { type: 'string', default: '{}' },
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
  console.error(USAGE);
  process.exit(opts.help ? 0 : 2);
}

const ACCOUNT = '123456789012';
const stateMachineName = opts.name ?? basename(opts.definition).replace(/\.asl\.json$|\.json$/, '');
const definitionText = applySubstitutions(readFileSync(opts.definition, 'utf8'), JSON.parse(opts.substitutions));
const unresolved = placeholders(definitionText);
if (unresolved.length > 0) {
  console.error(`No value given for DefinitionSubstitutions ${unresolved.join(', ')} (--substitutions)`);
  process.exit(2);
}
const definition = JSON.parse(definitionText);
const stateMachine = new StateMachine(definition, { awsConfig: { region: opts.region } });
const env = createEnv({
  lambdaEndpoint: opts['lambda-endpoint'],
  cloudControlEndpoint: opts['cloudcontrol-endpoint'],
  region: opts.region,
});
const taskHandlers = localTaskHandlers(definition, env);

/** Runs one execution to its end, writing its events; resolves to whether it succeeded. */
async function runExecution(request) {
  const id = String(request.id);
  const emit = (event) => process.stdout.write(`${JSON.stringify({ execution: id, ...event })}\n`);
  let execution;
  try {
    execution = stateMachine.run(request.input ?? {}, {
      overrides: { taskResourceLocalHandlers: taskHandlers, ...timeOverrides(request) },
      context: {
        Execution: { Id: `arn:aws:states:${opts.region}:${ACCOUNT}:execution:${stateMachineName}:${id}`, Name: id },
        StateMachine: { Id: `arn:aws:states:${opts.region}:${ACCOUNT}:stateMachine:${stateMachineName}`, Name: stateMachineName },
      },
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
}

/** Wait and retry-interval overrides in milliseconds by state name; skipWaits sets every one to 0 first. */
function timeOverrides({ skipWaits = false, waitTimeOverrides = {}, retryIntervalOverrides = {} }) {
  const waits = {};
  const retries = {};
  if (skipWaits) {
    for (const [name, state] of allStates(definition)) {
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
    running.push(runExecution(request));
  }
  await Promise.all(running);
} else {
  const succeeded = await runExecution({ id: '1', input: JSON.parse(opts.input), skipWaits: opts['skip-waits'] });
  process.exitCode = succeeded ? 0 : 1;
}
env.lambda.destroy(); // pooled keep-alive sockets would hold the process open
env.cloudControl.destroy();
