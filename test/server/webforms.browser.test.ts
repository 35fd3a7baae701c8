import { chromium, type Browser } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { ENGINES, startTestServer, type TestServer } from './harness';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join('test-results', 'screenshots');

/** Web-to-Case through a real browser: the visitor's view of the form, errors, and the case it creates. */
(fs.existsSync(CHROMIUM) ? describe.each(ENGINES) : describe.skip.each(ENGINES))(
  'Web-to-Case on %s',
  (engine) => {
    jest.setTimeout(60_000);
    let t: TestServer;
    let browser: Browser;
    let formUrl: string;
    beforeAll(async () => {
      t = await startTestServer(engine, { webFormsPerMinute: 8 });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const created = await t.call('POST', '/crm/v6/settings/web_forms', {
        role: 'admin',
        json: {
          data: [
            {
              name: 'Zgłoś problem',
              language: 'pl',
              fields: ['Subject', { api_name: 'Email', required: true }, 'Phone', 'Type', 'Description'],
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      formUrl = created.body.data[0].details.url;
      expect(created.body.data[0].details.snippet).toContain(`<iframe src="${formUrl}"`);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('shows the form in its language, keeps what the visitor typed on an error, then creates a Web case', async () => {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(formUrl);
      expect(await page.locator('h1').textContent()).toBe('Zgłoś problem');
      expect(await page.locator('label[for="f_Subject"]').textContent()).toContain('Temat');
      await page.fill('#f_Subject', '<script>alert(1)</script> Drukarka nie drukuje');
      await page.fill('#f_Email', 'anna@example.pl');
      await page.fill('#f_Phone', '1'.repeat(60)); // over the 50-character limit (the browser's maxlength is removed below)
      await page.evaluate(() => document.querySelector('#f_Phone')?.removeAttribute('maxlength'));
      await page.fill('#f_Phone', '1'.repeat(60));
      await page.selectOption('#f_Type', 'Problem');
      await page.fill('#f_Description', 'Od rana drukarka pokazuje błąd E-42.');
      await page.screenshot({
        path: path.join(SCREENSHOTS, `web-to-case-form-${engine}.png`),
        fullPage: true,
      });
      await page.click('button[type=submit]');
      await page.waitForSelector('[role=alert]');
      expect(await page.locator('#f_Phone_e').textContent()).toBe('Maksymalnie 50 znaków.');
      expect(await page.inputValue('#f_Subject')).toBe('<script>alert(1)</script> Drukarka nie drukuje');
      expect(await page.inputValue('#f_Description')).toBe('Od rana drukarka pokazuje błąd E-42.');
      await page.screenshot({
        path: path.join(SCREENSHOTS, `web-to-case-error-${engine}.png`),
        fullPage: true,
      });
      await page.fill('#f_Phone', '+48 600 100 200');
      await page.click('button[type=submit]');
      const number = await page.locator('[data-testid=case-number]').textContent();
      expect(number).toMatch(/^\d{8}$/);
      await page.screenshot({
        path: path.join(SCREENSHOTS, `web-to-case-thanks-${engine}.png`),
        fullPage: true,
      });
      expect(dialogs).toEqual([]);
      const found = await t.call(
        'GET',
        `/crm/v6/Cases/search?criteria=${encodeURIComponent(`(Case_Number:equals:${number})`)}`,
      );
      expect(found.body.data[0]).toMatchObject({
        Subject: '<script>alert(1)</script> Drukarka nie drukuje',
        Case_Origin: 'Web',
        Email: 'anna@example.pl',
        Type: 'Problem',
        Created_By: { name: 'Web-to-Case' },
      });
      await page.close();
    });

    it('stores nothing from a bot that fills the honeypot, and limits submissions per address', async () => {
      const post = (body: Record<string, string>) =>
        fetch(formUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(body).toString(),
        });
      expect((await fetch(formUrl.replace(/[^/]+$/, 'doesnotexist123'))).status).toBe(404);
      const big = await post({ Subject: 'x', Email: 'a@example.com', Description: 'x'.repeat(300 * 1024) });
      expect(big.status).toBe(413);
      expect(await big.text()).toContain('zbyt duży');
      const before = await t.call(
        'GET',
        `/crm/v6/Cases/search?criteria=${encodeURIComponent('(Subject:equals:bot)')}`,
      );
      expect(
        (await post({ Subject: 'bot', Email: 'bot@example.com', website: 'http://spam.example' })).status,
      ).toBe(200);
      const after = await t.call(
        'GET',
        `/crm/v6/Cases/search?criteria=${encodeURIComponent('(Subject:equals:bot)')}`,
      );
      expect([before.status, after.status]).toEqual([204, 204]);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++)
        statuses.push((await post({ Subject: `flood ${i}`, Email: 'f@example.com' })).status);
      expect(statuses).toContain(429);
    });
  },
);
