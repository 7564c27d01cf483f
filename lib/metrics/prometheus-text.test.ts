import { describe, expect, it } from "vitest";
import { escapeLabelValue, formatValue, histogramSamples, renderPrometheus } from "./prometheus-text";

describe("renderPrometheus", () => {
  it("writes HELP and TYPE, then one line per sample, and ends with a newline", () => {
    const text = renderPrometheus([
      { name: "gatekeeper_proxy_up", help: "Is it up.", type: "gauge", samples: [{ value: 1 }] },
      {
        name: "gatekeeper_requests_total",
        help: "Requests.",
        type: "counter",
        samples: [
          { labels: { site: "Blog", class: "2xx" }, value: 12 },
          { labels: { site: "Blog", class: "5xx" }, value: 0 },
        ],
      },
    ]);
    expect(text).toBe(
      [
        "# HELP gatekeeper_proxy_up Is it up.",
        "# TYPE gatekeeper_proxy_up gauge",
        "gatekeeper_proxy_up 1",
        "# HELP gatekeeper_requests_total Requests.",
        "# TYPE gatekeeper_requests_total counter",
        'gatekeeper_requests_total{site="Blog",class="2xx"} 12',
        'gatekeeper_requests_total{site="Blog",class="5xx"} 0',
        "",
      ].join("\n"),
    );
  });

  it("escapes backslashes, quotes and newlines in label values, and in HELP text", () => {
    const name = 'My "best" site\\shop\nline two';
    expect(escapeLabelValue(name)).toBe('My \\"best\\" site\\\\shop\\nline two');
    const text = renderPrometheus([
      { name: "g", help: 'Back\\slash "quoted"\nsecond line', type: "gauge", samples: [{ labels: { site: name }, value: 1 }] },
    ]);
    expect(text.split("\n")).toEqual([
      '# HELP g Back\\\\slash "quoted"\\nsecond line',
      "# TYPE g gauge",
      'g{site="My \\"best\\" site\\\\shop\\nline two"} 1',
      "",
    ]);
  });

  it("merges families of the same name, so HELP and TYPE appear once", () => {
    const family = (site: string) => ({
      name: "gatekeeper_site_enabled",
      help: "Enabled.",
      type: "gauge" as const,
      samples: [{ labels: { site }, value: 1 }],
    });
    const text = renderPrometheus([family("a"), { name: "other", help: "x", type: "gauge", samples: [] }, family("b")]);
    expect(text.match(/^# HELP gatekeeper_site_enabled /gm)).toHaveLength(1);
    expect(text.match(/^# TYPE gatekeeper_site_enabled /gm)).toHaveLength(1);
    const lines = text.split("\n");
    // Both samples sit under their family's header, not under "other".
    expect(lines.indexOf('gatekeeper_site_enabled{site="b"} 1')).toBe(lines.indexOf('gatekeeper_site_enabled{site="a"} 1') + 1);
  });

  it("refuses a family declared twice with another type, and invalid names", () => {
    expect(() =>
      renderPrometheus([
        { name: "x", help: "h", type: "gauge", samples: [] },
        { name: "x", help: "h", type: "counter", samples: [] },
      ]),
    ).toThrow(/declared twice/);
    expect(() => renderPrometheus([{ name: "bad-name", help: "h", type: "gauge", samples: [] }])).toThrow(/metric name/);
    expect(() => renderPrometheus([{ name: "x", help: "h", type: "gauge", samples: [{ labels: { "a-b": "1" }, value: 1 }] }])).toThrow(/label name/);
  });

  it("writes special values the way scrapers read them", () => {
    expect([NaN, Infinity, -Infinity, 0.005, 1.5e21, 42].map(formatValue)).toEqual(["NaN", "+Inf", "-Inf", "0.005", "1.5e+21", "42"]);
    expect(renderPrometheus([])).toBe("");
  });
});

describe("histogramSamples", () => {
  it("adds the +Inf bucket equal to the count, then _sum and _count", () => {
    const samples = histogramSamples({ site: "a" }, [0.1, 1], [3, 5], 2.5, 7);
    const text = renderPrometheus([{ name: "d_seconds", help: "Duration.", type: "histogram", samples }]);
    expect(text.split("\n").slice(2, -1)).toEqual([
      'd_seconds_bucket{site="a",le="0.1"} 3',
      'd_seconds_bucket{site="a",le="1"} 5',
      'd_seconds_bucket{site="a",le="+Inf"} 7',
      'd_seconds_sum{site="a"} 2.5',
      'd_seconds_count{site="a"} 7',
    ]);
  });
});
