/** A new case on the server at `origin`, with one file uploaded to it through the API, as a client would. */
export async function caseWithUpload(
  origin: string,
  token: string,
  content: Buffer | string,
  name = 'scan.bin',
): Promise<{ caseId: string; upload: Response }> {
  const auth = { authorization: `Bearer ${token}` };
  const created = await fetch(`${origin}/crm/v6/Cases`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ data: [{ Subject: `Upload of ${name}`, Case_Origin: 'Phone' }] }),
  });
  if (created.status !== 201) throw new Error(`creating the case answered ${created.status}`);
  const caseId = ((await created.json()) as { data: { details: { id: string } }[] }).data[0].details.id;
  const form = new FormData();
  const bytes = typeof content === 'string' ? content : new Uint8Array(content);
  form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), name);
  const upload = await fetch(`${origin}/crm/v6/Cases/${caseId}/Attachments`, {
    method: 'POST',
    headers: auth,
    body: form,
  });
  return { caseId, upload };
}
