// 30 consumer teams acknowledging one proposal at once, from 30 processes
// (each its own machine) into a remote served by `git daemon` on 127.0.0.1,
// against the same 30 acks one after another on a second identical setup,
// in the same run. Reports wall time and push retries (each ack's own
// transaction plus the merge it attempted) and checks the outcome.
//
//   npm run bench -- acks          (BENCH_ACK_TEAMS=30)
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, artefact, fmtMs, runProc } from './lib/proc.mjs';
import { checkOutcome, runAcks, setupAckScenario } from './lib/ack-scenario.mjs';

const TEAMS = Number(process.env.BENCH_ACK_TEAMS ?? 30);

async function scenario(mode) {
  const s = await setupAckScenario({ teams: TEAMS });
  try {
    const r = await runAcks(s, { mode });
    const problems = await checkOutcome(s);
    return { ...r, problems, proposal: s.proposalId };
  } finally {
    await s.close();
  }
}

export async function run() {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.log('SKIPPED: dist/ is missing (run npm run build first)');
    return;
  }
  const load0 = os.loadavg()[0];
  const art0 = artefact();
  const burst = await scenario('burst');
  const sequential = await scenario('sequential');
  const version = (await runProc('git', ['--version'])).stdout.trim();
  console.log(`${TEAMS} consumer teams ack one proposal; remote served by git daemon on 127.0.0.1; ${version}; load average ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cpus; bin/tessera.js ran: ${art0 === artefact() ? art0 : `${art0} at the start, ${artefact()} at the end`}\n`);
  console.log('| run | wall time | per ack (median) | ack push retries | merge retries | total retries | merged by | outcome |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of [burst, sequential]) {
    const per = [...r.acks.map((a) => a.ms)].sort((a, b) => a - b)[r.acks.length >> 1];
    const label = r.mode === 'burst' ? `burst: ${TEAMS} processes at once` : `sequential: ${TEAMS} one after another`;
    console.log(`| ${label} | ${fmtMs(r.wallMs)} | ${fmtMs(per)} | ${r.pushRetries} | ${r.mergeRetries} | ${r.retries} | ${r.mergedBy.join(', ') || 'nobody'} | ${r.problems.length ? 'BROKEN' : 'ok'} |`);
  }
  const ratio = burst.wallMs / sequential.wallMs;
  console.log(`\nburst / sequential wall time: ${ratio.toFixed(2)}`);
  console.log(`- burst faster than sequential: ${ratio < 1 ? 'pass' : 'FAIL'} (${fmtMs(burst.wallMs)} vs ${fmtMs(sequential.wallMs)})`);
  console.log(`- fewer than ${TEAMS} push retries in the burst: ${burst.retries < TEAMS ? 'pass' : 'FAIL'} (${burst.pushRetries} ack + ${burst.mergeRetries} merge = ${burst.retries})`);
  for (const r of [burst, sequential]) {
    console.log(`- ${r.mode}: ${r.problems.length === 0 ? 'every ack recorded exactly once on main, one merge commit, users at 2.0.0, no refs left under refs/tessera/ or refs/heads/tessera/, git fsck clean' : 'PROBLEMS: ' + r.problems.join('; ')}`);
  }
  if (burst.problems.length || sequential.problems.length) process.exitCode = 1;
}
