import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort, sleep } from '../../../bench/lib/proc';

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';

/** Debian's dovecot-imapd, when installed (`npm test` installs it as root). */
export const DOVECOT_INSTALLED = fs.existsSync(DOVECOT);
/** Without Dovecot the IMAP tests skip locally; in CI a missing server is a failure, not a skip. */
export const IMAP_TESTS_RUN = DOVECOT_INSTALLED || process.env.CI === 'true';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A logged-in client of the test's own, for APPEND and for looking at the folder. */
  client(): Promise<ImapFlow>;
  /** APPEND raw messages to a folder (INBOX by default) through one connection. */
  append(messages: Array<string | Buffer>, folder?: string): Promise<void>;
  /** Give a folder a new UIDVALIDITY (as a rebuilt server would): doveadm mailbox update. */
  changeUidValidity(folder: string, uidValidity: number): Promise<void>;
  /** Stop the server as an outage would (every connection dropped), keeping its mail for start(). */
  halt(): Promise<void>;
  /** Start a halted server again on the same port with the same mail. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The uid Dovecot stores mail as: Debian's `dovecot` user (root is refused as a mail uid). */
function dovecotIds(): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('dovecot:'));
  if (!line) throw new Error('the dovecot user is missing (apt-get install dovecot-imapd creates it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** XOAUTH2 through Dovecot's oauth2 passdb: tokens are checked by POSTing them to this introspection URL. */
function oauth2(dir: string, introspectionUrl: string | undefined): string {
  if (!introspectionUrl) return '';
  fs.writeFileSync(
    path.join(dir, 'oauth2.conf.ext'),
    [
      'introspection_mode = post',
      `introspection_url = ${introspectionUrl}`,
      'username_attribute = username',
      'active_attribute = active',
      'active_value = true',
      '',
    ].join('\n'),
  );
  return `
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/oauth2.conf.ext
}`;
}

function configuration(
  dir: string,
  port: number,
  ids: { uid: number; gid: number },
  introspectionUrl?: string,
): string {
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${introspectionUrl ? ' xoauth2 oauthbearer' : ''}
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = ${ids.uid}
last_valid_uid = ${ids.uid}
mail_location = maildir:${dir}/mail/%u
# A throwaway server: no fsync per APPEND (filling it with thousands of messages is the tests' slowest part).
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}${oauth2(dir, introspectionUrl)}
userdb {
  driver = static
  args = uid=${ids.uid} gid=${ids.gid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
`;
}

async function waitForPort(port: number, log: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(
    `dovecot did not listen on ${port}: ${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`,
  );
}

/**
 * A real Dovecot on a free loopback port with a throwaway configuration, one passwd-file user and its maildir in
 * a temp folder (all removed by stop()). Plaintext login on loopback only; no TLS. With `oauth2IntrospectionUrl`,
 * XOAUTH2 logins too, their tokens checked at that URL (RFC 7662 introspection).
 */
export async function startDovecot(options: { oauth2IntrospectionUrl?: string } = {}): Promise<Dovecot> {
  if (!DOVECOT_INSTALLED) throw new Error('dovecot is not installed (apt-get install dovecot-imapd)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-dovecot-'));
  // The mail processes run as the dovecot user: it must reach the maildir under the temp folder.
  fs.chmodSync(dir, 0o755);
  const ids = dovecotIds();
  for (const sub of ['mail', 'home']) {
    fs.mkdirSync(path.join(dir, sub));
    fs.chownSync(path.join(dir, sub), ids.uid, ids.gid);
  }
  const user = 'support@casepane.test';
  const password = 'imap-secret-1';
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const port = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, configuration(dir, port, ids, options.oauth2IntrospectionUrl));
  let child: ReturnType<typeof spawn>;
  let exited: Promise<void>;
  const launch = async () => {
    // Its own process group: halt() reaches the imap processes too (they outlive a SIGTERM of the master alone).
    child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore', detached: true });
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitForPort(port, path.join(dir, 'dovecot.log'));
  };
  await launch();

  const client = async () => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: password },
      logger: false,
    });
    await c.connect();
    return c;
  };
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    client,
    async append(messages, folder = 'INBOX') {
      const c = await client();
      try {
        if (folder !== 'INBOX') await c.mailboxCreate(folder).catch(() => undefined);
        for (const message of messages) await c.append(folder, message);
      } finally {
        await c.logout();
      }
    },
    async changeUidValidity(folder, uidValidity) {
      const result = spawnSync(DOVEADM, [
        '-c',
        conf,
        'mailbox',
        'update',
        '-u',
        user,
        '--uid-validity',
        String(uidValidity),
        folder,
      ]);
      if (result.status !== 0) throw new Error(`doveadm: ${result.stderr.toString()}`);
    },
    async halt() {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
    start: launch,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
