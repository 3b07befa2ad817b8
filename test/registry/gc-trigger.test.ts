import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gcLikelyDue } from '../../src/registry/repository.js';
import { cleanupTempDirs, tempDir } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

describe('gcLikelyDue', () => {
  it('fires when packs or sampled loose objects pile up, and not before', () => {
    const gitDir = tempDir();
    mkdirSync(path.join(gitDir, 'objects', 'pack'), { recursive: true });
    expect(gcLikelyDue(gitDir)).toBe(false);
    for (let i = 0; i < 24; i++) writeFileSync(path.join(gitDir, 'objects', 'pack', `pack-${i}.pack`), '');
    expect(gcLikelyDue(gitDir)).toBe(false);
    writeFileSync(path.join(gitDir, 'objects', 'pack', 'pack-24.pack'), '');
    expect(gcLikelyDue(gitDir)).toBe(true);

    const loose = tempDir();
    mkdirSync(path.join(loose, 'objects', 'pack'), { recursive: true });
    mkdirSync(path.join(loose, 'objects', '17'));
    for (let i = 0; i < 13; i++) writeFileSync(path.join(loose, 'objects', '17', `${i}`.padStart(38, '0')), '');
    expect(gcLikelyDue(loose)).toBe(false);
    writeFileSync(path.join(loose, 'objects', '17', 'f'.repeat(38)), '');
    expect(gcLikelyDue(loose)).toBe(true);
  });
});
