// Issue 17, "Lessons as data" and "Check your answer", in the page: every shipped scenario with lessons passes its
// own checks when its steps' buttons are pressed in order (the order `npm run sim -- --check` grades them in,
// src/runner/check.ts gradeLessons); student mode hides the answer and scores the student's own fix; a lesson's
// Markdown cannot put HTML, script or a javascript: link in the page; a lab without lessons says so.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, openLab, run } from './helpers';

interface ScenarioFile {
  readonly devices: readonly { readonly name: string }[];
  readonly lessons?: readonly {
    readonly steps: readonly {
      readonly title: string;
      readonly actions?: readonly unknown[];
      readonly checks?: readonly unknown[];
    }[];
  }[];
}

/** The shipped scenarios, as the index lists them when the tests are collected (scenarios added later are in). */
const INDEX = JSON.parse(readFileSync('public/scenarios/index.json', 'utf8')) as {
  file: string;
  title: string;
}[];
const WITH_LESSONS = INDEX.map((entry) => ({
  ...entry,
  text: readFileSync(`public/scenarios/${entry.file}`, 'utf8'),
})).filter((s) => ((JSON.parse(s.text) as ScenarioFile).lessons ?? []).some((l) => l.steps.length > 0));

/** Loads a scenario's text through the page's "Open scenario file" input and waits for its first device. */
async function openScenario(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('Open scenario file').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  const first = (JSON.parse(text) as ScenarioFile).devices[0]!.name;
  await expect(
    page.getByRole('navigation', { name: 'Devices' }).getByRole('button', { name: first, exact: true }),
  ).toBeVisible();
}

async function openLessons(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  const lessons = page.getByTestId('lessons');
  await expect(lessons).toBeVisible();
  return lessons;
}

/** The step's checks as the worker evaluated them on the lab as it is now, once no lesson work runs. */
async function freshScore(lessons: Locator): Promise<string> {
  await expect(lessons).toHaveAttribute('aria-busy', 'false', { timeout: 120_000 });
  const score = lessons.getByTestId('lesson-score');
  await expect(score).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
  return (await score.textContent()) ?? '';
}

/** The checks' labels and details, for a failure message a teacher can read. */
async function checkLines(lessons: Locator): Promise<string> {
  return (await lessons.getByRole('list', { name: 'Checks' }).getByRole('listitem').allInnerTexts()).join(
    '\n',
  );
}

for (const scenario of WITH_LESSONS) {
  test(`${scenario.title}: every step's buttons pressed in order, every step's checks pass in the page`, async ({
    page,
  }) => {
    test.setTimeout(360_000);
    const errors = collectErrors(page);
    await openLab(page);
    await openScenario(page, scenario.file, scenario.text);
    const lessons = await openLessons(page);
    const steps = ((JSON.parse(scenario.text) as ScenarioFile).lessons ?? []).flatMap((l) => l.steps);
    for (const [i, step] of steps.entries()) {
      await lessons.locator('.lesson-dots button').nth(i).click();
      await expect(lessons.getByRole('heading', { name: `Step ${i + 1} of ${steps.length}` })).toBeVisible();
      await expect(lessons.getByRole('heading', { name: step.title, exact: true })).toBeVisible();
      for (const k of (step.actions ?? []).keys()) {
        // A button that broke something shows its undo in its place; its index stays the button's own.
        await lessons.locator(`.lesson-actions button[data-button="${k}"]`).click({ timeout: 120_000 });
      }
      const n = (step.checks ?? []).length;
      if (n === 0) continue;
      const score = await freshScore(lessons);
      expect(score, `${step.title}\n${await checkLines(lessons)}`).toBe(`Checks passing: ${n}/${n}`);
    }
    // Leaving the last step runs its `leave`, as the runner does after its checks.
    await lessons.getByRole('button', { name: 'Close lessons' }).click();
    expect(errors).toEqual([]);
  });
}

test('every shipped scenario with lessons is walked above (the index is read when the tests are collected)', () => {
  expect(WITH_LESSONS.map((s) => s.file)).toContain('getvpn-multicast-rekey.json');
});

test('the scenario picker offers every scenario of the index; a picked one opens with its own lessons', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  for (const entry of INDEX) await expect(picker.locator('option', { hasText: entry.title })).toHaveCount(1);
  // The index ships several labs with lessons (DMVPN phase 2, Auto-RP, unicast rekey): one must be there.
  const other = WITH_LESSONS.find((s) => s.file !== 'getvpn-multicast-rekey.json');
  expect(other, 'a shipped scenario other than the reference lab has lessons').toBeDefined();
  if (!other) return;
  await picker.selectOption({ label: other.title });
  const file = JSON.parse(other.text) as ScenarioFile;
  await expect(
    page
      .getByRole('navigation', { name: 'Devices' })
      .getByRole('button', { name: file.devices[0]!.name, exact: true }),
  ).toBeVisible();
  const lessons = await openLessons(page);
  await expect(
    lessons.getByRole('heading', { name: file.lessons![0]!.steps[0]!.title, exact: true }),
  ).toBeVisible();
  expect(errors).toEqual([]);
});

test('student mode: the fix is hidden, a broken step scores its failures, and the student’s own fix scores 3/3', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  await openLab(page);
  const lessons = await openLessons(page);
  await lessons.getByRole('button', { name: /^Step \d+: The RPF failure$/ }).click();
  await lessons.getByRole('checkbox', { name: 'Student mode' }).check();
  // Breaking the lab is the exercise: that button stays. Its undo ("Put it back") is the answer: hidden.
  await lessons.getByRole('button', { name: 'Remove ip mroute on GM-2' }).click();
  await expect(lessons).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  await expect(lessons.getByRole('button', { name: 'Put it back' })).toHaveCount(0);
  await expect(lessons).toContainText('make the change yourself at the console');
  await lessons.getByRole('button', { name: 'Run to the next rekey' }).click();
  await expect(lessons).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });

  await lessons.getByRole('button', { name: /^Step \d+: Putting the mroute back$/ }).click();
  await expect(lessons.getByRole('button', { name: 'Put it back' })).toHaveCount(0);
  await expect(lessons.getByTestId('lesson-score')).toHaveCount(0);
  await lessons.getByRole('button', { name: 'Check my answer' }).click();
  await expect(lessons.getByTestId('lesson-score')).toHaveText('Score: 1/3', { timeout: 30_000 });
  const checks = lessons.getByRole('list', { name: 'Checks' });
  await expect(checks.locator('.check-no')).toHaveCount(2);
  await expect(checks).toContainText("GM-2's RPF interface for 1.1.1.1 is Serial1/0, expected Tunnel10.");
  await expect(checks).toContainText('GM-2 has received no rekey.');

  // The student puts the line back at GM-2's console, then runs on until GM-2 gets a rekey.
  await run(page, 'GM-2', 'configure terminal');
  await run(page, 'GM-2', 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
  await run(page, 'GM-2', 'end');
  await expect(page.getByTestId('console-output')).toContainText('%SYS-5-CONFIG_I');
  await lessons.getByRole('button', { name: 'Run until GM-2 gets a rekey' }).click();
  await expect(lessons).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  await lessons.getByRole('button', { name: 'Check my answer' }).click();
  await expect(lessons.getByTestId('lesson-score')).toHaveText('Score: 3/3', { timeout: 30_000 });
  await expect(checks.locator('.check-ok')).toHaveCount(3);
  await expect(checks).toContainText("GM-2's RPF for 1.1.1.1 is Tunnel10");
  expect(errors).toEqual([]);
});

const HOSTILE_TEXT = [
  'Plain **bold** and a [safe link](https://www.rfc-editor.org/rfc/rfc6407).',
  '<script>window.__pwned = 1</script>',
  '<img src="x" onerror="window.__pwned = 2">',
  '[click me](javascript:window.__pwned=3) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="javascript:window.__pwned=4">raw link</a> <iframe src="https://example.com"></iframe>',
  '![tracker](https://example.com/p.png)',
].join('\n\n');

test('a lesson’s Markdown renders without raw HTML, script, javascript: or data: links; a lab without lessons says so', async ({
  page,
}) => {
  const errors = collectErrors(page);
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await openLab(page);
  const hostile = {
    format: 'getlab-scenario/2',
    title: 'Hostile lesson',
    devices: [
      { name: 'R', config: 'hostname R\ninterface FastEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n' },
    ],
    links: [],
    lessons: [
      {
        id: 'x',
        title: 'Hostile',
        steps: [
          {
            title: 'Step with hostile text',
            text: HOSTILE_TEXT,
            actions: [{ label: 'Run 1 s', action: { kind: 'run-for', seconds: 1 } }],
            checks: [],
          },
        ],
      },
    ],
  };
  await openScenario(page, 'hostile.json', JSON.stringify(hostile));
  const lessons = await openLessons(page);
  const text = lessons.getByTestId('lesson-text');
  await expect(text.locator('strong')).toHaveText('bold');
  await expect(text.getByRole('link', { name: 'safe link' })).toHaveAttribute(
    'href',
    'https://www.rfc-editor.org/rfc/rfc6407',
  );
  await expect(text.getByRole('link', { name: 'safe link' })).toHaveAttribute('rel', 'noopener noreferrer');
  // The raw HTML is shown as text; none of it is an element.
  await expect(text).toContainText('<script>window.__pwned = 1</script>');
  await expect(text).toContainText('<img src="x" onerror="window.__pwned = 2">');
  expect(await text.locator('script, img, iframe, [onerror]').count()).toBe(0);
  // Only https links are links (the image, with images off, is a link to it): javascript: and data: stay text.
  const hrefs = await text.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs).toEqual(['https://www.rfc-editor.org/rfc/rfc6407', 'https://example.com/p.png']);
  await expect(text).toContainText('[click me](javascript:window.__pwned=3)');
  await lessons.getByRole('button', { name: 'Run 1 s' }).click();
  await expect(lessons).toHaveAttribute('aria-busy', 'false');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // A lab without lessons: a plain message, no buttons, no checks.
  const plain = { ...hostile, title: 'No lessons', lessons: [] };
  await openScenario(page, 'plain.json', JSON.stringify(plain));
  await expect(page.getByTestId('lessons')).toContainText('This lab has no lessons.');
  await expect(page.getByTestId('lessons').locator('.lesson-actions')).toHaveCount(0);
  expect(errors).toEqual([]);
});
