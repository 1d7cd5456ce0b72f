import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Markdown files whose links must resolve: the README and every page of docs/. */
const markdownFiles = (): string[] => [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Paths of the layout other branches create (issue 19); checked in a test of their own. */
const NEW_LAYOUT = ['packages/', 'tools/', 'scripts/', 'src/keyPolicy/', '.dependency-cruiser.cjs'];

/** Lines outside fenced code blocks, without inline code spans. */
const proseLines = (text: string): string[] => {
  let fenced = false;
  return text.split('\n').flatMap((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [line];
  });
};

/** GitHub's anchor of a heading: lowercase, punctuation dropped, each space a '-'; repeats get -1, -2, … */
const headingAnchors = (text: string): Set<string> => {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6} +(.+?) *#* *$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
};

/** Targets of the Markdown links and images of a text (code ignored). */
const linkTargets = (text: string): string[] =>
  proseLines(text).flatMap((line) =>
    [...line.replace(/`[^`]*`/g, '').matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
      ([, target]) => target ?? ''
    )
  );

interface BrokenLink {
  file: string;
  target: string;
  why: string;
}

/** Every relative link of `files` (repo-relative paths) whose file, or heading, does not exist. */
const brokenLinks = (files: string[], read: (path: string) => string, exists: (path: string) => boolean) =>
  files.flatMap((file) =>
    linkTargets(read(file)).flatMap((target): BrokenLink[] => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return [];
      const [pathPart = '', anchor] = target.split('#');
      const path = pathPart === '' ? file : normalize(join(dirname(file), decodeURIComponent(pathPart)));
      if (path.startsWith('..')) return [{ file, target, why: 'outside the repository' }];
      if (!exists(path)) return [{ file, target, why: `${path} does not exist` }];
      if (anchor === undefined || !path.endsWith('.md')) return [];
      return headingAnchors(read(path)).has(anchor) ? [] : [{ file, target, why: `no heading #${anchor} in ${path}` }];
    })
  );

const readRepo = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');
const existsInRepo = (path: string): boolean => existsSync(join(REPO_ROOT, path));
const inNewLayout = ({ file, target }: BrokenLink): boolean => {
  const path = normalize(join(dirname(file), target.split('#')[0] ?? ''));
  return NEW_LAYOUT.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
};

describe('documentation links', () => {
  it('resolves every relative link and anchor of README.md and docs/*.md', () => {
    // Prepare
    const files = markdownFiles();

    // Act
    const broken = brokenLinks(files, readRepo, existsInRepo).filter((link) => !inNewLayout(link));

    // Assess
    expect(files.length).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  it('resolves the links to the new layout (packages/local-cloud, tools/dev, scripts, .dependency-cruiser.cjs)', () => {
    // Act: red on a branch without the new layout, green once it is merged
    const broken = brokenLinks(markdownFiles(), readRepo, existsInRepo).filter(inNewLayout);

    // Assess
    expect(broken).toEqual([]);
  });

  it('finds a missing file, a missing heading and a link out of the repository, and ignores code', () => {
    // Prepare
    const pages: Record<string, string> = {
      'README.md': [
        '# Title',
        '[ok](docs/a.md#organisation-npm-start------org) [ok](#title) [web](https://example.com/x)',
        '[gone](docs/none.md) [no heading](docs/a.md#nowhere) [out](../secret.md) `[code](docs/none.md)`',
        '```',
        '[fenced](docs/none.md)',
        '```',
      ].join('\n'),
      'docs/a.md': '# A\n\n## Organisation (`npm start -- --org`)\n',
    };

    // Act
    const broken = brokenLinks(
      ['README.md'],
      (path) => pages[path] ?? '',
      (path) => path in pages
    );

    // Assess
    expect(broken.map(({ target }) => target)).toEqual(['docs/none.md', 'docs/a.md#nowhere', '../secret.md']);
  });

  it('slugs headings as GitHub does', () => {
    // Act
    const anchors = headingAnchors('## Policy: tags and modes\n## Alarm: failed\n## Alarm: failed\n### `--org` (hub)');

    // Assess
    expect([...anchors]).toEqual(['policy-tags-and-modes', 'alarm-failed', 'alarm-failed-1', '--org-hub']);
  });

  it('keeps README.md at 200 lines or fewer and links every page of docs/', () => {
    // Prepare
    const readme = readRepo('README.md');
    const pages = markdownFiles().filter((path) => path !== 'README.md');

    // Act
    const lines = readme.trimEnd().split('\n').length;
    const unlinked = pages.filter((path) => !linkTargets(readme).some((target) => target.split('#')[0] === path));

    // Assess
    expect(lines).toBeLessThanOrEqual(200);
    expect(unlinked).toEqual([]);
  });

  it('points every alarm at a heading of docs/runbook.md, the default of runbookUrl', () => {
    // Prepare
    const anchors = headingAnchors(readRepo('docs/runbook.md'));
    const monitoring = ['deploy/monitoring.yml', 'deploy/monitoring.js'].map(readRepo).join('\n');

    // Act
    const runbookUrl = /^ {4}runbookUrl: *(\S+) *$/m.exec(readRepo('serverless.yml'))?.[1];
    const linked = [...monitoring.matchAll(/\$\{param:runbookUrl\}#([\w-]+)/g)].map(([, anchor]) => anchor ?? '');
    const alarms = monitoring.match(/Type: AWS::CloudWatch::Alarm/g) ?? [];
    const missing = linked.filter((anchor) => !anchors.has(anchor));

    // Assess
    expect(runbookUrl).toBe('docs/runbook.md');
    expect(linked).toHaveLength(alarms.length);
    expect(alarms.length).toBeGreaterThanOrEqual(12);
    expect(missing).toEqual([]);
  });
});
