// End to end with the real MCP TypeScript client (@modelcontextprotocol/sdk,
// pinned in package-lock.json): a headless faultline collects events from the
// real Python SDK and a captured Django/DRF request; `faultline mcp --db`
// is spawned over stdio (reading while the collector writes) and every tool,
// the resources, bad arguments and malformed lines are checked; then one
// session over the streamable HTTP transport on the collector's port.
//   node mcp_client_check.mjs --faultline BIN --workdir DIR --repo REPO [--transcript FILE]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith('--') ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []));
const dir = mkdtempSync(join(args.workdir, 'run-'));
const db = join(dir, 'faultline.db');
const transcript = [];

function step(name) { console.log(`mcp e2e: ${name}`); }

function startCollector() {
  const child = spawn(args.faultline, ['--headless', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${log}`)), 15000);
    const onData = (chunk) => {
      log += chunk;
      const match = /collector listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (match) { clearTimeout(timer); resolve({ child, port: Number(match[1]) }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`collector exited ${code}:\n${log}`)); });
  });
}

// Records what the client sends and receives, for docs/MCP.md.
function recorded(transport, label) {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => { transcript.push({ transport: label, to: 'server', message }); return send(message, options); };
  const start = transport.start.bind(transport);
  transport.start = () => {
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => { transcript.push({ transport: label, to: 'client', message }); deliver?.(message, extra); };
    return start();
  };
  return transport;
}

async function call(client, name, toolArgs = {}) {
  const result = await client.callTool({ name, arguments: toolArgs });
  if (!result.isError) {
    assert.ok(result.structuredContent, `${name}: structuredContent`);
    assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent, `${name}: text is the JSON`);
  }
  return result;
}

async function refused(client, name, toolArgs, pattern) {
  const result = await client.callTool({ name, arguments: toolArgs });
  assert.equal(result.isError, true, `${name}(${JSON.stringify(toolArgs)}) should be refused`);
  assert.match(result.content[0].text, pattern);
  return result;
}

async function rejectsWith(promise, code, pattern) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof McpError, `expected a JSON-RPC error, got ${error}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

// A service that failed upstream and answered its client 502, reported through the real SDK
// once per (release, user) given: the issue's summary adds these up.
const gatewayFailure = `
import sys, sentry_sdk
def charge_card(amount_cents):
    gateway_reply = {"error": "card_declined", "retry": False}
    raise RuntimeError("payment gateway failed")
for release, user in zip(sys.argv[2::2], sys.argv[3::2]):
    sentry_sdk.init(dsn=sys.argv[1], release=release, environment="e2e")
    sentry_sdk.set_user({"id": user})
    sentry_sdk.set_tag("card_brand", "visa" if user == "alice" else "amex")
    sentry_sdk.set_context("response", {"status_code": 502})
    try:
        charge_card(1999)
    except RuntimeError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush(timeout=10)
`;

async function fillDatabase(port) {
  const [project] = JSON.parse(execFileSync(args.faultline, ['projects', '--db', db, '--json'], { encoding: 'utf8' }));
  execFileSync('/usr/bin/python3', [join(args.repo, 'tests/e2e/python_sdk_client.py'), project.dsn], { timeout: 30000 });
  execFileSync('/usr/bin/python3', ['-c', gatewayFailure, project.dsn, 'shop@1.2.3', 'alice', 'shop@1.2.4', 'bob',
    'shop@1.2.4', 'bob'], { timeout: 30000 });
  // A DRF validation failure as sentry-python 1.9 sent it (captured, tests/fixtures/*.meta.json).
  const drf = readFileSync(join(args.repo, 'tests/fixtures/django_drf_validation_store.json'));
  const response = await fetch(`http://127.0.0.1:${port}/api/${project.id}/store/`, {
    method: 'POST', body: drf,
    headers: { 'Content-Type': 'application/json', 'X-Sentry-Auth': `Sentry sentry_key=${project.public_key}, sentry_version=7` },
  });
  assert.equal(response.status, 200, await response.text());
  return project;
}

// The gateway failure's three events: 1.2.3 for alice, 1.2.4 twice for bob (fillDatabase).
function checkGatewaySummary(issue) {
  assert.equal(issue.count, 3);
  assert.equal(issue.users, 2);
  assert.equal(issue.first_release, 'shop@1.2.3');
  assert.equal(issue.last_release, 'shop@1.2.4');
  assert.equal(issue.status_detail, '');
  assert.deepEqual(issue.releases.map((r) => [r.release, r.count]), [['shop@1.2.3', 1], ['shop@1.2.4', 2]]);
  const tag = (key) => issue.tags.find((t) => t.key === key);
  assert.deepEqual(issue.tags.slice(0, 3).map((t) => t.key), ['release', 'environment', 'user']);
  assert.deepEqual(tag('release').top.map((v) => [v.value, v.count, v.percent]), [['shop@1.2.4', 2, 66.7], ['shop@1.2.3', 1, 33.3]]);
  assert.deepEqual(tag('environment').top.map((v) => [v.value, v.percent]), [['e2e', 100]]);
  assert.deepEqual(tag('user').top.map((v) => [v.value, v.count]), [['id:bob', 2], ['id:alice', 1]]);
  assert.equal(tag('user').distinct_values, 2);
  assert.deepEqual(tag('card_brand').top.map((v) => [v.value, v.count, v.percent]), [['amex', 2, 66.7], ['visa', 1, 33.3]]);
  assert.equal(tag('card_brand').derived, false);
  assert.ok(tag('runtime').top[0].value.startsWith('CPython 3.'), JSON.stringify(tag('runtime')));
  assert.ok(issue.tags.every((t) => t.top.length <= 10 && !t.key.startsWith('user.')), 'bounded, identities not listed');
}

async function checkStdioServer(project) {
  const transport = recorded(new StdioClientTransport({ command: args.faultline, args: ['mcp', '--db', db], stderr: 'pipe' }), 'stdio');
  let serverLog = '';
  transport.stderr.on('data', (chunk) => { serverLog += chunk; });
  const client = new Client({ name: 'faultline-e2e', version: '1.0.0' });
  try {
    await client.connect(transport);
    assert.equal(client.getServerVersion().name, 'faultline');
    assert.ok(client.getServerCapabilities().tools && client.getServerCapabilities().resources);
    assert.match(client.getInstructions(), /search_issues/);

    step('tools/list');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['explain_grouping', 'get_event', 'get_issue', 'ignore_issue',
      'list_events', 'list_projects', 'resolve_issue', 'search_issues']);
    for (const tool of tools) {
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.equal(tool.outputSchema.type, 'object', tool.name);
    }

    step('list_projects');
    const projects = (await call(client, 'list_projects')).structuredContent.projects;
    assert.equal(projects.length, 1);
    assert.equal(projects[0].dsn, project.dsn);
    assert.equal(projects[0].unresolved_issues, 4);

    step('search_issues');
    const all = (await call(client, 'search_issues', { query: '' })).structuredContent;
    assert.equal(all.total, 4);
    const zeroDivision = (await call(client, 'search_issues', { query: 'ZeroDivisionError' })).structuredContent.issues;
    assert.equal(zeroDivision.length, 1);
    assert.match(zeroDivision[0].title, /^ZeroDivisionError: division by zero/);
    assert.equal(zeroDivision[0].uri, `faultline://issue/${zeroDivision[0].id}`);
    const issueId = zeroDivision[0].id;
    const warnings = (await call(client, 'search_issues', { query: 'level:warning' })).structuredContent.issues;
    assert.deepEqual(warnings.map((i) => i.title), ['checkout finished']);
    // Paging: pages of 3 and 1, the cursor from the first leading to the second.
    const first = (await call(client, 'search_issues', { query: '', limit: 3 })).structuredContent;
    assert.equal(first.issues.length, 3);
    assert.ok(first.nextCursor);
    const second = (await call(client, 'search_issues', { query: '', limit: 3, cursor: first.nextCursor })).structuredContent;
    assert.equal(second.issues.length, 1);
    assert.equal(second.nextCursor, undefined);
    assert.equal(new Set([...first.issues, ...second.issues].map((i) => i.id)).size, 4);

    step('get_issue');
    const report = (await call(client, 'get_issue', { id: issueId })).structuredContent;
    assert.equal(report.issue.id, issueId);
    assert.deepEqual(report.issue.releases.map((r) => [r.release, r.count]), [['shop@1.2.3', 1]]);
    assert.equal(report.issue.users, 0, 'the SDK sent no user');
    const latest = report.latest_event;
    assert.equal(latest.tags.order_kind, 'express');
    const exception = latest.exceptions.at(-1);
    assert.equal(exception.type, 'ZeroDivisionError');
    const divide = exception.frames.at(-1);
    assert.equal(divide.function, 'divide');
    assert.equal(divide.in_app, true);
    assert.match(divide.context.line, /numerator \/ denominator/);
    assert.equal(divide.vars.ratio_label, "'checkout'");
    assert.ok(exception.frames.every((f) => f.in_app), 'get_issue gives only in-app frames');
    assert.deepEqual(exception.frames.map((f) => f.function), ['main', 'handle_order', 'divide']);

    const drfIssue = (await call(client, 'search_issues', { query: 'ValidationError' })).structuredContent.issues[0];
    const drf = (await call(client, 'get_issue', { id: drfIssue.id })).structuredContent.latest_event;
    assert.equal(drf.request.method, 'POST');
    assert.equal(drf.request.url, 'http://testserver/api/explicit/');
    assert.deepEqual(drf.request.data, { quantity: 0 });
    assert.notEqual(drf.request.headers.Authorization, 'Bearer secret-token', 'scrubbed headers stay scrubbed');
    assert.equal(drf.http_outcome, null, 'the captured DRF event carries no status');
    assert.ok(drf.validation_errors.some((e) => e.loc.includes('field') && /explicit validation failure/.test(e.msg)),
      JSON.stringify(drf.validation_errors));

    const gatewayIssue = (await call(client, 'search_issues', { query: 'status:5xx' })).structuredContent.issues;
    assert.deepEqual(gatewayIssue.map((i) => i.title), ['RuntimeError: payment gateway failed']);
    const gatewayReport = (await call(client, 'get_issue', { id: gatewayIssue[0].id })).structuredContent;
    checkGatewaySummary(gatewayReport.issue);
    const gateway = gatewayReport.latest_event;
    assert.equal(gateway.http_outcome.status_code, 502);
    assert.equal(gateway.exceptions.at(-1).frames.at(-1).function, 'charge_card');
    assert.deepEqual(gateway.exceptions.at(-1).frames.at(-1).vars.gateway_reply, { error: "'card_declined'", retry: 'False' });

    execFileSync(args.faultline, ['issue', String(warnings[0].id), 'ignore', '--until-events', '5', '--db', db]);
    const ignoredUntil = (await call(client, 'get_issue', { id: warnings[0].id })).structuredContent.issue;
    assert.equal(ignoredUntil.status, 'ignored');
    assert.equal(ignoredUntil.status_detail, 'ignored until 5 more events');

    step('list_events / get_event');
    const events = (await call(client, 'list_events', { issue_id: issueId })).structuredContent;
    assert.equal(events.events.length, 1);
    assert.equal(events.events[0].release, 'shop@1.2.3');
    assert.equal((await call(client, 'list_events', { issue_id: issueId, query: 'environment:production' }))
      .structuredContent.events.length, 0);
    const event = (await call(client, 'get_event', { event_id: events.events[0].event_id })).structuredContent;
    assert.equal(event.issue_id, issueId);
    assert.equal(event.environment, 'e2e');
    assert.ok(Array.isArray(event.breadcrumbs));
    assert.ok(event.exceptions.at(-1).frames.length >= 3);

    step('explain_grouping');
    const grouping = (await call(client, 'explain_grouping', { issue_id: issueId })).structuredContent;
    assert.equal(grouping.rule, 'exception');
    assert.equal(grouping.grouping_version, 'v2');
    assert.equal(grouping.components[0], 'type:ZeroDivisionError');
    assert.ok(grouping.components.some((c) => c.startsWith('frame:') && c.includes('.divide | ')),
      grouping.components.join(' '));
    assert.match(grouping.summary, /^exception type `ZeroDivisionError`, frames /);
    assert.equal(grouping.matches_stored_fingerprint, true);

    step('resolve_issue / ignore_issue');
    await refused(client, 'resolve_issue', { id: issueId }, /confirm.*true.*ask the user/s);
    await refused(client, 'resolve_issue', { id: issueId, confirm: 'yes' }, /must be the boolean true/);
    const resolved = (await call(client, 'resolve_issue', { id: issueId, confirm: true })).structuredContent;
    assert.equal(resolved.issue.status, 'resolved');
    assert.equal(resolved.previous_status, 'unresolved');
    assert.equal(resolved.changed, true);
    assert.deepEqual((await call(client, 'search_issues', { query: 'is:resolved' })).structuredContent.issues.map((i) => i.id), [issueId]);
    const ignored = (await call(client, 'ignore_issue', { id: warnings[0].id, confirm: true })).structuredContent;
    assert.equal(ignored.issue.status, 'ignored');

    step('bad arguments');
    await refused(client, 'get_issue', {}, /"id" is required/);
    await refused(client, 'get_issue', { id: 'abc' }, /positive integer/);
    await refused(client, 'get_issue', { id: 999999 }, /no issue 999999/);
    await refused(client, 'get_issue', { issueId: issueId }, /unknown argument "issueId"/);
    await refused(client, 'search_issues', { query: 'level:>>' }, /bad query at position/);
    await refused(client, 'search_issues', { limit: 500 }, /from 1 to 100, got 500/);
    await refused(client, 'search_issues', { cursor: 'garbage' }, /not a cursor/);
    await refused(client, 'get_event', { event_id: 'nope' }, /32 hex digits/);
    await rejectsWith(client.callTool({ name: 'drop_database', arguments: {} }), ErrorCode.InvalidParams, /Unknown tool: drop_database/);

    step('resources');
    const { resources } = await client.listResources();
    assert.equal(resources.length, 4);
    assert.ok(resources.some((r) => r.uri === `faultline://issue/${issueId}` && r.mimeType === 'application/json'));
    const { contents } = await client.readResource({ uri: `faultline://issue/${issueId}` });
    assert.equal(JSON.parse(contents[0].text).issue.status, 'resolved');
    await rejectsWith(client.readResource({ uri: 'faultline://issue/424242' }), -32002, /no issue 424242/);
    await rejectsWith(client.readResource({ uri: 'file:///etc/passwd' }), -32002, /Resource not found/);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.equal(resourceTemplates[0].uriTemplate, 'faultline://issue/{id}');
    await client.ping();
  } finally {
    await client.close();
  }
  assert.doesNotMatch(serverLog, /critical|Segmentation/i, serverLog);
  return serverLog;
}

// Lines no SDK would send: the server answers each with the JSON-RPC error and keeps serving.
async function checkMalformedLines() {
  const child = spawn(args.faultline, ['mcp', '--db', db], { stdio: ['pipe', 'pipe', 'ignore'] });
  const replies = createInterface({ input: child.stdout });
  const lines = [];
  replies.on('line', (line) => lines.push(JSON.parse(line)));
  const sent = ['this is not json', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', '{"jsonrpc":"1.0","id":2,"method":"ping"}',
    '{"jsonrpc":"2.0","id":null,"method":"ping"}', '{"jsonrpc":"2.0","id":3,"method":"tools/list"}',
    '{"jsonrpc":"2.0","id":4,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}',
    '{"jsonrpc":"2.0","method":"notifications/initialized"}', '{"jsonrpc":"2.0","id":5,"method":"no/such"}',
    '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":[1,2]}', '{"jsonrpc":"2.0","id":7,"method":"ping"}'];
  child.stdin.end(sent.join('\n') + '\n');
  await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(child.exitCode, 0);
  const codes = lines.map((l) => l.error?.code ?? 'ok');
  assert.deepEqual(codes, [-32700, -32600, -32600, -32600, -32600, 'ok', -32601, -32602, 'ok'], JSON.stringify(lines));
  assert.equal(lines[5].result.protocolVersion, '2025-06-18');
  assert.equal(lines[8].id, 7);
}

async function checkHttpTransport(port, project) {
  const url = `http://127.0.0.1:${port}/mcp`;
  const post = (headers, body) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers }, body });
  const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
  assert.equal((await post({}, ping)).status, 401);
  assert.equal((await post({ Authorization: 'Bearer not-a-key' }, ping)).status, 401);
  const auth = { Authorization: `Bearer ${project.public_key}` };
  assert.equal((await post({ ...auth, Origin: 'http://evil.example' }, ping)).status, 403);
  assert.equal((await fetch(url, { headers: auth })).status, 405);
  assert.equal((await post({ ...auth, 'Mcp-Session-Id': 'unknown' }, ping)).status, 404);

  const transport = recorded(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { ...auth, Origin: `http://127.0.0.1:${port}` } } }), 'http');
  const client = new Client({ name: 'faultline-e2e-http', version: '1.0.0' });
  try {
    await client.connect(transport);
    assert.ok(transport.sessionId, 'the server gives a session id');
    const page = (await call(client, 'search_issues', { query: 'is:unresolved' })).structuredContent;
    assert.deepEqual(page.issues.map((i) => i.title.split(':')[0]).sort(), ['RuntimeError', 'ValidationError']);
    assert.equal((await post({ ...auth, 'Mcp-Session-Id': transport.sessionId, 'MCP-Protocol-Version': '1999-01-01' }, ping)).status, 400);
    await transport.terminateSession();
  } finally {
    await client.close();
  }
}

const started = Date.now();
const { child: collector, port } = await startCollector();
let failed = false;
try {
  step(`collector on port ${port}; filling the database with the Python SDK`);
  const project = await fillDatabase(port);
  await checkStdioServer(project);
  step('malformed lines');
  await checkMalformedLines();
  step('streamable HTTP transport');
  await checkHttpTransport(port, project);
  if (args.transcript)
    writeFileSync(args.transcript, transcript.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
  step(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  failed = true;
  console.error('mcp e2e FAILED:', error);
} finally {
  collector.kill('SIGTERM');
}
process.exit(failed ? 1 : 0);
