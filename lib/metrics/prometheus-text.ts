/**
 * The Prometheus text exposition format (version 0.0.4), the one format every scraper reads:
 * Prometheus itself, VictoriaMetrics, Grafana Agent/Alloy, the OpenTelemetry collector.
 */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "counter" | "gauge" | "histogram";

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  /** Appended to the family name: "_bucket", "_sum", "_count" for histograms, "" otherwise. */
  suffix?: "" | "_bucket" | "_sum" | "_count";
  labels?: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: readonly Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Renders families as one exposition document. Families that share a name are merged, so HELP
 * and TYPE appear once per family (a scraper rejects a document that repeats them); a name used
 * with two different types or help texts is a programming error and throws.
 */
export function renderPrometheus(families: readonly MetricFamily[]): string {
  const merged = new Map<string, { help: string; type: MetricType; samples: Sample[] }>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`Invalid metric name: ${family.name}`);
    const seen = merged.get(family.name);
    if (seen === undefined) {
      merged.set(family.name, { help: family.help, type: family.type, samples: [...family.samples] });
    } else if (seen.type !== family.type || seen.help !== family.help) {
      throw new Error(`Metric ${family.name} is declared twice with different TYPE or HELP`);
    } else {
      seen.samples.push(...family.samples);
    }
  }
  const lines: string[] = [];
  for (const [name, family] of merged) {
    lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(`${name}${sample.suffix ?? ""}${renderLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * The samples of one histogram series: `bounds` are the upper bounds (le) in ascending order and
 * `cumulative[i]` the observations <= bounds[i]; the +Inf bucket is `count`, as the format requires.
 */
export function histogramSamples(labels: Labels, bounds: readonly number[], cumulative: readonly number[], sum: number, count: number): Sample[] {
  const buckets = bounds.map((bound, index) => ({
    suffix: "_bucket" as const,
    labels: { ...labels, le: formatValue(bound) },
    value: cumulative[index] ?? count,
  }));
  return [
    ...buckets,
    { suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: count },
    { suffix: "_sum", labels, value: sum },
    { suffix: "_count", labels, value: count },
  ];
}

function renderLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return "";
  const parts = entries.map(([name, value]) => {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) throw new Error(`Invalid label name: ${name}`);
    return `${name}="${escapeLabelValue(value)}"`;
  });
  return `{${parts.join(",")}}`;
}

/** Label values may hold anything a user typed (site names): escape \, " and newlines. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text escapes only \ and newlines (quotes are literal there). */
function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
