// What each Task `Resource` does when a definition runs locally: the call Step Functions would make, made with the
// AWS SDK for JavaScript against local endpoints, with the result and the error names Step Functions would produce.
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import * as lambdaSdk from '@aws-sdk/client-lambda';
import * as cloudControlSdk from '@aws-sdk/client-cloudcontrol';

/**
 * Resource ARN -> factory of the task's handler. A key ending in ':*' matches every resource with that prefix and
 * receives the rest (the SDK action) as its second argument. Supporting another integration is one entry here.
 * A handler gets the task's parameters and the calling execution (run-execution.mjs, callerOf).
 */
export const TASK_RESOURCES = {
  'arn:aws:states:::lambda:invoke': (env) => (params) => invokeLambda(env.lambda, params),
  'arn:aws:states:::aws-sdk:cloudcontrol:*': (env, action) => (params) => callCloudControl(env.cloudControl, action, params),
  'arn:aws:states:::states:startExecution.sync:2': () => (params, caller) => startExecutionSync2(params, caller),
  'arn:aws:states:::events:putEvents': () => (params, caller) => putEvents(params, caller),
};

/** One handler per Task state (the overrides aws-local-stepfunctions takes are keyed by state name). */
export function localTaskHandlers(definition, env) {
  const handlers = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Task') {
      handlers[name] = taskHandlerFor(state.Resource, env);
    }
  }
  return handlers;
}

/** Every state, including those inside Map and Parallel states: state names are unique in a whole definition. */
export function* allStates(definition) {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    yield [name, state];
    for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (nested) yield* allStates(nested);
    }
  }
}

export function taskHandlerFor(resource, env) {
  if (TASK_RESOURCES[resource]) return TASK_RESOURCES[resource](env);
  for (const [key, factory] of Object.entries(TASK_RESOURCES)) {
    if (key.endsWith(':*') && resource.startsWith(key.slice(0, -1))) {
      return factory(env, resource.slice(key.length - 1));
    }
  }
  throw new Error(`No local handler for Task resource ${resource}; known: ${Object.keys(TASK_RESOURCES).join(', ')}`);
}

/** The SDK clients the handlers use. One attempt per call: the definition's own Retry is what must be exercised. */
export function createEnv({ lambdaEndpoint, cloudControlEndpoint, region = 'us-east-1', requestTimeoutMs = 30_000 }) {
  const common = {
    region,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-only' },
    requestHandler: { connectionTimeout: 2_000, requestTimeout: requestTimeoutMs },
  };
  const lambda = new LambdaClient({ ...common, endpoint: lambdaEndpoint });
  keepResponseHeaders(lambda);
  const cloudControl = new cloudControlSdk.CloudControlClient({ ...common, endpoint: cloudControlEndpoint });
  return { lambda, cloudControl };
}

// --- lambda:invoke ---------------------------------------------------------------------------------------------

const LAMBDA_MODELLED_ERRORS = modelledErrorNames(lambdaSdk, LambdaServiceException);

/** Step Functions' lambda:invoke: the Invoke call, its output shaped as the integration returns it. */
async function invokeLambda(client, { FunctionName, Payload, Qualifier, InvocationType, LogType, ClientContext }) {
  let response;
  try {
    response = await client.send(new InvokeCommand({
      FunctionName, Qualifier, InvocationType, LogType, ClientContext,
      Payload: Payload === undefined ? undefined : new TextEncoder().encode(JSON.stringify(Payload)),
    }));
  } catch (e) {
    throw serviceError('Lambda', 'AWSLambdaException', LAMBDA_MODELLED_ERRORS, e,
      (code, status, requestId) => `${e.message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; `
        + `Request ID: ${requestId}; Proxy: null)`);
  }
  const payloadText = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
  if (response.FunctionError) {
    // A function error fails the task under the function's errorType, with the error document as the Cause.
    throw taskError(parseJson(payloadText)?.errorType ?? 'Lambda.Unknown', payloadText);
  }
  const headers = response.$httpHeaders ?? {};
  const payload = parseJson(payloadText);
  return {
    ExecutedVersion: response.ExecutedVersion,
    Payload: payload === undefined ? payloadText : payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: response.StatusCode,
    },
    SdkResponseMetadata: { RequestId: response.$metadata?.requestId },
    StatusCode: response.StatusCode,
  };
}

/** The integration's output carries the HTTP headers, which the SDK's output does not: keep them. */
function keepResponseHeaders(client) {
  client.middlewareStack.add((next) => async (args) => {
    const result = await next(args);
    Object.defineProperty(result.output, '$httpHeaders', { value: result.response?.headers, enumerable: false });
    return result;
  }, { step: 'build', name: 'keepResponseHeaders' });
}

// --- aws-sdk:cloudcontrol:<action> --------------------------------------------------------------------------

const CLOUD_CONTROL_MODELLED_ERRORS = modelledErrorNames(cloudControlSdk, cloudControlSdk.CloudControlServiceException);

/** An SDK integration call: camelCase action, PascalCase parameters and output, timestamps as RFC 3339 strings. */
async function callCloudControl(client, action, params) {
  const Command = cloudControlSdk[`${action[0].toUpperCase()}${action.slice(1)}Command`];
  if (typeof Command !== 'function') {
    throw new Error(`Cloud Control has no action '${action}'`);
  }
  try {
    return toStepFunctionsJson(await client.send(new Command(params ?? {})));
  } catch (e) {
    throw serviceError('CloudControl', 'CloudControlException', CLOUD_CONTROL_MODELLED_ERRORS, e,
      (code, status, requestId) => `${e.message} (Service: CloudControl, Status Code: ${status}, Request ID: ${requestId})`);
  }
}

/** Drops the SDK's `$metadata`; Dates become RFC 3339 strings (ISO 8601 with T and Z, millisecond precision). */
export function toStepFunctionsJson(value) {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toStepFunctionsJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value)
      .filter(([key, v]) => key !== '$metadata' && v !== undefined)
      .map(([key, v]) => [key, toStepFunctionsJson(v)]));
  }
  return value;
}

// --- states:startExecution.sync:2 -----------------------------------------------------------------------------

/**
 * A nested execution, waited for: on success the DescribeExecution-shaped result with Output as JSON (what ':2'
 * means); when the child does not succeed, States.TaskFailed with the DescribeExecution JSON, the child's Error and
 * Cause included, as the Cause.
 */
async function startExecutionSync2(params, caller) {
  const { StateMachineArn, Input, Name } = params ?? {};
  let input = Input ?? {};
  if (typeof input === 'string') {
    input = parseJson(input);
    if (input === undefined) {
      throw taskError('StepFunctions.InvalidExecutionInputException', `Invalid State Machine Execution Input: '${Input}'`);
    }
  }
  const run = await caller.runChild(StateMachineArn, input, Name ?? randomUUID());
  if (run === undefined) {
    throw taskError('StepFunctions.StateMachineDoesNotExistException', `State Machine Does Not Exist: '${StateMachineArn}'`);
  }
  const description = {
    ExecutionArn: run.executionArn,
    Input: JSON.stringify(input),
    InputDetails: { Included: true },
    Name: run.name,
    StartDate: run.startDate,
    StateMachineArn,
    Status: run.status,
    StopDate: run.stopDate,
  };
  if (run.status === 'SUCCEEDED') {
    return { ...description, Output: run.output, OutputDetails: { Included: true } };
  }
  const failure = {
    ...description,
    ...(run.error !== undefined && { Error: run.error }),
    ...(run.cause !== undefined && { Cause: run.cause }),
  };
  // Which spelling AWS uses in this Cause is not documented: a caller may ask for the API's wire spelling instead.
  throw taskError('States.TaskFailed', JSON.stringify(caller.childCauseInCamelCase ? camelCaseKeys(failure) : failure));
}

/** {ExecutionArn, Error, ...} -> {executionArn, error, ...}, as the DescribeExecution API spells them on the wire. */
function camelCaseKeys(object) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key[0].toLowerCase() + key.slice(1), value]));
}

// --- events:putEvents --------------------------------------------------------------------------------------------

const MAX_PUT_EVENTS_BYTES = 256 * 1024;

/**
 * EventBridge's PutEvents as the optimized integration calls it: Detail may be given as JSON, the execution's and
 * the state machine's ARNs are added to each entry's Resources, a request over 256 KB is refused, and any failed
 * entry fails the task with EventBridge.FailedEntry. Each published entry is reported to the caller.
 */
async function putEvents(params, caller) {
  const entries = params?.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
    throw taskError('EventBridge.AmazonEventBridgeException', 'Entries must hold 1 to 10 entries '
      + '(Service: AmazonEventBridge; Status Code: 400; Error Code: ValidationException)');
  }
  const events = entries.map((entry) => ({
    eventBusName: entry.EventBusName ?? 'default',
    source: entry.Source,
    detailType: entry.DetailType,
    detail: typeof entry.Detail === 'string' ? parseJson(entry.Detail) : entry.Detail,
    resources: [...(entry.Resources ?? []), caller.executionArn, caller.stateMachineArn],
  }));
  const size = events.reduce((sum, e) => sum + eventSize(e), 0);
  if (size > MAX_PUT_EVENTS_BYTES) {
    throw taskError('EventBridge.AmazonEventBridgeException', `Total size of the entries in the request is over the `
      + `limit: ${size} bytes, at most ${MAX_PUT_EVENTS_BYTES} (Service: AmazonEventBridge; Status Code: 400; `
      + 'Error Code: ValidationException)');
  }
  const results = events.map((event) => {
    if (typeof event.source !== 'string' || typeof event.detailType !== 'string') {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source and DetailType are required.' };
    }
    if (event.detail === null || typeof event.detail !== 'object' || Array.isArray(event.detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const EventId = randomUUID();
    caller.published({ eventId: EventId, ...event });
    return { EventId };
  });
  const FailedEntryCount = results.filter((result) => result.ErrorCode).length;
  if (FailedEntryCount > 0) {
    throw taskError('EventBridge.FailedEntry', JSON.stringify({ Entries: results, FailedEntryCount }));
  }
  return { Entries: results, FailedEntryCount };
}

/** EventBridge's entry size: Source, DetailType, Detail and each Resources entry, in UTF-8 bytes. */
function eventSize({ source, detailType, detail, resources }) {
  return [source, detailType, JSON.stringify(detail), ...resources]
    .reduce((sum, text) => sum + Buffer.byteLength(String(text ?? ''), 'utf8'), 0);
}

// --- errors ----------------------------------------------------------------------------------------------------

/** A task failure as aws-local-stepfunctions matches it: Error is the `name`, Cause the `message`. */
export function taskError(name, cause) {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/**
 * A failed service call named as Step Functions names it: `<Service>.<ExceptionName>` for an error in the service's
 * model, `<Service>.<BaseException>` for one outside it, `<Service>.SdkClientException` when no HTTP answer came
 * back at all (refused, reset, timed out).
 */
function serviceError(service, baseException, modelled, e, describe) {
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) {
    return taskError(`${service}.SdkClientException`, `Unable to execute HTTP request: ${e.message || e.code || e.name}`);
  }
  const code = e.name;
  const name = modelled.has(code) ? code : baseException;
  return taskError(`${service}.${name}`, describe(code, status, e.$metadata?.requestId));
}

/** The exception classes an SDK client module exports: exactly the errors in the service's model. */
function modelledErrorNames(sdkModule, serviceException) {
  return new Set(Object.entries(sdkModule)
    .filter(([, value]) => typeof value === 'function' && value.prototype instanceof serviceException)
    .map(([name]) => name));
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
