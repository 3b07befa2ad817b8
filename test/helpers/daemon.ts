/**
 * git daemon on 127.0.0.1 and the ack-burst scenario (a remote seeded with a
 * `core` team owning `users`, N consumer teams, and an open breaking
 * proposal). The implementation is plain .mjs in bench/lib so that
 * bench/acks.bench.mjs, which runs on dist/ without TypeScript, shares it.
 */
// @ts-ignore -- plain ESM without type declarations; typed below.
import * as scenario from '../../bench/lib/ack-scenario.mjs';

export interface Daemon {
  port: number;
  url(repo: string): string;
  stop(): Promise<void>;
}

export interface ScenarioMachine {
  name: string;
  email: string;
  home: string;
  env: Record<string, string>;
}

export interface AckScenario {
  root: string;
  /** The served bare repository (inspect it directly with git). */
  remote: string;
  url: string;
  port: number;
  teams: string[];
  machines: ScenarioMachine[];
  proposalId: string;
  close(): Promise<void>;
}

export interface AckRun {
  mode: 'burst' | 'sequential';
  wallMs: number;
  acks: Array<{ team: string; ms: number; merged: boolean; pushRetries: number; mergeRetries: number }>;
  pushRetries: number;
  mergeRetries: number;
  retries: number;
  mergedBy: string[];
}

const s = scenario as unknown as {
  startDaemon(baseDir: string, options?: { timeoutMs?: number }): Promise<Daemon>;
  setupAckScenario(options?: { teams?: number; root?: string }): Promise<AckScenario>;
  runAcks(scenario: AckScenario, options: { mode: 'burst' | 'sequential' }): Promise<AckRun>;
  checkOutcome(scenario: AckScenario): Promise<string[]>;
  memberOf(team: string): string;
};

/** Serve every repository under baseDir with git daemon (push enabled); resolves once it accepts connections. */
export const startDaemon = s.startDaemon;
/** A fresh remote behind git daemon with an open proposal that `teams` consumer teams must ack. */
export const setupAckScenario = s.setupAckScenario;
/** Run every team's `tessera ack --json` at once ('burst') or one after another. */
export const runAcks = s.runAcks;
/** Problems with the remote after the acks (empty when every ack landed once, one merge, nothing left over, fsck clean). */
export const checkOutcome = s.checkOutcome;
export const memberOf = s.memberOf;
