// Mail sent by the server under test: with no SMTP_URL it writes each message to
// <DATA_DIR>/mail/<timestamp>-<id>.txt as "To: …", "Subject: …", a blank line, then the body.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { e2e } from "./browser";

export interface SentMail {
  file: string;
  to: string;
  subject: string;
  body: string;
}

export function parseMail(file: string, text: string): SentMail {
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? "" : text.slice(split + 2);
  const header = (name: string) => head.match(new RegExp(`^${name}:\\s*(.*)$`, "mi"))?.[1].trim() ?? "";
  return { file, to: header("To"), subject: header("Subject"), body };
}

export async function readAllMail(mailDir = e2e().mailDir): Promise<SentMail[]> {
  let names: string[];
  try {
    names = (await readdir(mailDir)).filter((n) => n.endsWith(".txt")).sort();
  } catch {
    return [];
  }
  const mails: SentMail[] = [];
  for (const name of names) {
    const file = path.join(mailDir, name);
    mails.push(parseMail(file, await readFile(file, "utf8")));
  }
  return mails;
}

/**
 * Polls the mail folder until a message to `to` (and matching `subject`, when given) appears.
 * The server's outbox worker runs every ~1 s, so the default wait is 15 s.
 */
export async function waitForMail(
  to: string,
  options: { subject?: RegExp; timeoutMs?: number; mailDir?: string } = {},
): Promise<SentMail> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const wanted = to.toLowerCase();
  for (;;) {
    const all = await readAllMail(options.mailDir);
    const found = all.filter(
      (m) => m.to.toLowerCase().includes(wanted) && (!options.subject || options.subject.test(m.subject)),
    );
    if (found.length) return found[found.length - 1];
    if (Date.now() > deadline) {
      throw new Error(
        `No mail to ${to}${options.subject ? ` with subject ${options.subject}` : ""} within ${
          (options.timeoutMs ?? 30_000) / 1000
        } s. Messages in ${options.mailDir ?? e2e().mailDir}: ${
          all.map((m) => `${m.to} "${m.subject}"`).join("; ") || "none"
        }`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first http(s) link in a mail body whose path starts with `pathPrefix`. */
export function extractLink(mail: SentMail, pathPrefix = "/"): string {
  for (const match of mail.body.matchAll(/https?:\/\/[^\s<>"')]+/g)) {
    const link = match[0].replace(/[.,;]+$/, "");
    if (new URL(link).pathname.startsWith(pathPrefix)) return link;
  }
  throw new Error(`No link to ${pathPrefix} in the mail to ${mail.to} ("${mail.subject}"):\n${mail.body}`);
}
