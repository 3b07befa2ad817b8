/** The rendered diff between two versions of a contract (pure). */
import { checkCompatibility, ruleById, type ContentModel, type JsonSchema, type Mode } from '../../core/diff/index.js';
import { diffGuarantees } from '../../core/guarantees.js';
import { avroRuleById } from '../../core/avro/catalog.js';
import { checkAvroHistory } from '../../core/avro/publish.js';
import { effectiveGuaranteeMode } from '../../core/publish.js';
import type { Asset, ChangeRecord, RegistryConfig, Version } from '../../core/model.js';
import type { ChangeView, DiffView } from '../model.js';

export function changeView(c: Pick<ChangeRecord, 'rule' | 'path' | 'message' | 'breaking'>): ChangeView {
  const meaning = ruleById(c.rule)?.meaning ?? avroRuleById(c.rule)?.meaning;
  return { rule: c.rule, path: c.path, message: c.message, breaking: c.breaking, ...(meaning ? { meaning } : {}) };
}

/** Judge `to` against `from` under the asset's mode and content model (as publish would). */
export function diffVersions(asset: Asset, from: Version, to: Version, config: RegistryConfig | undefined): DiffView {
  // `to` records the mode it was judged under when it was published.
  const mode: Mode = asset.compatibility_mode ?? to.compatibility_mode;
  const contentModel: ContentModel = asset.content_model ?? to.content_model ?? config?.defaults.content_model ?? 'closed';
  // Two Avro versions are compared as Avro, as publish judged them.
  const report = from.format === 'avro' && to.format === 'avro'
    ? checkAvroHistory(asset.id, [from], to.avro, mode)
    : checkCompatibility([from.schema as JsonSchema], to.schema as JsonSchema, { mode, contentModel, policy: 'strict', profile: 'tessera' });
  const guaranteeMode = config ? effectiveGuaranteeMode(config, asset, mode) : (asset.guarantee_mode ?? 'notify');
  const guarantees = diffGuarantees(from.guarantees, to.guarantees, guaranteeMode).map((g) => ({ rule: g.rule, guarantee: g.guarantee, severity: g.severity, breaking: g.breaking, message: g.message }));
  return {
    from: from.version,
    to: to.version,
    mode,
    contentModel,
    compatible: report.compatible && !guarantees.some((g) => g.breaking),
    bump: report.bump,
    changes: report.changes.map(changeView),
    hints: report.hints,
    guarantees,
  };
}
