#!/usr/bin/env node
// Validates Step Functions definitions with both validators, since they catch different mistakes:
//   asl-validator                    JSON schema of the States language, JSONPath syntax, Resource ARNs
//   amazon-states-language-service   the AWS Toolkit's checks: unreachable or missing states, Next targets, ...
// Usage: node validate-asl.mjs [--substitutions <map.json>] <definition.asl.json>...
// With --substitutions, `${Name}` placeholders are replaced first, exactly as CloudFormation's DefinitionSubstitutions
// does. Prints one line per problem and exits 1 if any definition has an error or warning, 2 on bad usage.
import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import aslLanguageService from 'amazon-states-language-service';
import { applySubstitutions } from './substitutions.mjs';

const { getLanguageService, TextDocument, DiagnosticSeverity } = aslLanguageService; // a CommonJS module

const SEVERITY = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

function parseArguments(argv) {
  const files = [];
  let substitutions = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--substitutions') {
      substitutions = JSON.parse(readFileSync(argv[++i], 'utf8'));
    } else {
      files.push(argv[i]);
    }
  }
  return { files, substitutions };
}

/** Problems found by asl-validator, as readable lines. */
function aslValidatorProblems(definition) {
  const { isValid, errorsText } = aslValidator(definition, { checkPaths: true, checkArn: true });
  return isValid ? [] : errorsText('\n').split('\n').map((line) => `asl-validator: ${line}`);
}

/** Errors and warnings from the AWS language service (information and hints are not problems). */
async function languageServiceProblems(file, text) {
  const service = getLanguageService({});
  const document = TextDocument.create(`file://${file}`, 'json', 0, text);
  const diagnostics = await service.doValidation(document, service.parseJSONDocument(document));
  return diagnostics
    .filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning)
    .map((d) => `amazon-states-language-service: line ${d.range.start.line + 1}:${d.range.start.character + 1} `
      + `${SEVERITY[d.severity]}: ${d.message}`);
}

async function problemsIn(file, substitutions) {
  const text = applySubstitutions(readFileSync(file, 'utf8'), substitutions);
  let definition;
  try {
    definition = JSON.parse(text);
  } catch (e) {
    return [`not valid JSON after substitution: ${e.message}`];
  }
  return [...aslValidatorProblems(definition), ...await languageServiceProblems(file, text)];
}

const { files, substitutions } = parseArguments(process.argv.slice(2));
if (files.length === 0) {
  console.error('usage: node validate-asl.mjs [--substitutions <map.json>] <definition.asl.json>...');
  process.exit(2);
}
let failed = false;
for (const file of files) {
  const problems = await problemsIn(file, substitutions);
  if (problems.length === 0) {
    console.log(`${file}: valid`);
  } else {
    failed = true;
    for (const problem of problems) console.log(`${file}: ${problem}`);
  }
}
process.exit(failed ? 1 : 0);
