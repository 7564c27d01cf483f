import { NO_ANSWER, type Explanation } from "@/lib/schemas/explain";

const PROTECTION_NAMES: Record<string, string> = {
  "rate-limit": "Rate limit",
  "block-exploits": "Block common exploits",
  "access-list": "Access list",
};

export interface Step {
  title: string;
  detail: string;
}

/** The explanation as the steps a request goes through, in plain words. */
export function explanationSteps(explanation: Explanation, hostname: string): Step[] {
  const steps: Step[] = [];
  if (explanation.site === null) {
    steps.push({ title: "Site", detail: `No site has the hostname ${hostname}.` });
  } else {
    steps.push({ title: "Site", detail: `${hostname} belongs to the site “${explanation.site.name}”.` });
    steps.push({
      title: "Route",
      detail:
        explanation.route === null
          ? "No route of the site takes this path: it goes to the site's own upstream servers."
          : `The route for ${explanation.route.pathPrefix} takes this path.`,
    });
    for (const { name, decision } of explanation.protections) {
      steps.push({ title: PROTECTION_NAMES[name] ?? name, detail: `${capitalised(decision)}.` });
    }
  }
  steps.push({ title: "Answer", detail: answerWords(explanation) });
  return steps;
}

function answerWords({ answer, upstreamUrl, upstreamPath, upstreamHealth }: Explanation): string {
  if (answer.status === null) {
    const failing = upstreamHealth === "benched" ? " It has been failing lately, and is tried only because no other server is available." : "";
    return `Sent to ${upstreamUrl} as ${upstreamPath}; that server answers.${failing}`;
  }
  if (answer.status === NO_ANSWER) return "The proxy closes the connection without an answer (as Settings › Unknown addresses asks).";
  if (answer.location !== undefined) return `The proxy redirects (${answer.status}) to ${answer.location}.`;
  return `The proxy answers ${answer.status} itself; nothing is sent to an upstream server.`;
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
