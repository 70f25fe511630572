// `npm run bench -- engine`: the engine on a 100-line receipt against 1,000 active promotions.
import { calculate } from '@loyalty/core/engine/calculate';
import { prepareRules } from '@loyalty/core/rules/prepared-rules';
import { engineWorkload } from './engine-workload.ts';
import { quantile, report, roundedQuantiles, sample } from './stats.ts';

/** Prints engine.calculate.p50/p99 and the one-off snapshot preparation time. */
export function benchEngine(): void {
  const { snapshot, input } = engineWorkload();
  const prepareSamples = sample(
    () => {
      if (!prepareRules(snapshot).ok) throw new Error('workload snapshot is invalid');
    },
    20,
    3,
  );
  const prepared = prepareRules(snapshot);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
  const rules = prepared.value;
  const check = calculate(rules, input);
  if (!check.ok) throw new Error(JSON.stringify(check.error));

  const [p50 = Number.NaN, p99 = Number.NaN] = roundedQuantiles(
    () => {
      calculate(rules, input);
    },
    { rounds: 7, iterations: 1000, warmup: 300 },
    [0.5, 0.99],
  );
  report('engine.calculate.p50', p50, 'ms');
  report('engine.calculate.p99', p99, 'ms');
  report('engine.prepare_rules.p50', quantile(prepareSamples, 0.5), 'ms');
  const applied = check.value.promotions.filter((p) => p.applied).length;
  report('engine.workload.promotions_considered', check.value.promotions.length, 'promotions');
  report('engine.workload.promotions_applied', applied, 'promotions');
}
