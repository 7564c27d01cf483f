/** Signs in through the REST API, as a script would, and returns the new API token. */
export async function apiToken(dashboardUrl: string, account: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${dashboardUrl}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...account, name: "e2e" }),
  });
  if (response.status !== 201) throw new Error(`POST /api/v1/tokens answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
