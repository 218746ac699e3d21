// How mail leaves: SMTP through nodemailer when SMTP_URL is set, otherwise one text file per
// message under DATA_DIR/mail/ (and a log line with any link), so the demo needs no mail server.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { env } from "../env";
import { log } from "../log.server";
import type { MailMessage, Transport } from "./outbox.server";

export function createTransport(): Transport {
  const { SMTP_URL, MAIL_FROM, DATA_DIR } = env();
  if (SMTP_URL) {
    const smtp = nodemailer.createTransport(withTimeouts(SMTP_URL));
    return async (message) => {
      await smtp.sendMail({ from: MAIL_FROM, to: message.to, subject: message.subject, text: message.text });
    };
  }
  const folder = path.resolve(DATA_DIR, "mail");
  let counter = 0;
  return async (message: MailMessage) => {
    await mkdir(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = path.join(folder, `${stamp}-${process.pid}-${++counter}.txt`);
    await writeFile(file, `To: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`, "utf8");
    // Development convenience: the file and its first link (a confirmation link holds a token, so
    // never in production, where SMTP_URL should be set anyway). Never the address or the text.
    const link = env().NODE_ENV === "production" ? undefined : message.text.match(/https?:\/\/\S+/)?.[0];
    log.info(
      { job: "mail", file: path.relative(process.cwd(), file), ...(link ? { link } : {}) },
      "mail written to a file",
    );
  };
}

/**
 * nodemailer waits up to 2 minutes to connect and 10 minutes on a silent socket by default; a send
 * must end well inside the outbox lease (LEASE_MS, 5 minutes), so unless SMTP_URL sets them these
 * are 30 s to connect, 30 s for the greeting and 60 s of socket silence.
 */
export function withTimeouts(smtpUrl: string): string {
  const defaults: Record<string, number> = {
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  };
  const query = smtpUrl.includes("?") ? smtpUrl.slice(smtpUrl.indexOf("?") + 1) : "";
  const present = new Set(new URLSearchParams(query).keys());
  const extra = Object.entries(defaults)
    .filter(([key]) => !present.has(key))
    .map(([key, value]) => `${key}=${value}`);
  if (!extra.length) return smtpUrl;
  return `${smtpUrl}${smtpUrl.includes("?") ? (smtpUrl.endsWith("?") || smtpUrl.endsWith("&") ? "" : "&") : "?"}${extra.join("&")}`;
}
