/**
 * The CLI's help texts: an overview (`prompt-descent --help`) and one text per command
 * (`prompt-descent CMD --help` or `prompt-descent help CMD`).
 */
import { OPTIMIZE_METHODS } from '../config/methods.js'
import type { CommandName } from './args.js'

/** `apo|metaspo|…`: every method the registry knows. */
const METHODS = OPTIMIZE_METHODS.join('|')

const BUDGET = `Budget (hard caps; a run that reaches one stops, exits 3 and keeps what it scored):
  --max-usd N         dollars        --max-tokens N     tokens
  --max-calls N       paid calls     --max-minutes N    wall time`

const REPORTS = `Reports (each written in addition to the table on stdout):
  --json FILE                 the whole report as JSON
  --markdown FILE             the Markdown of the job summary and the pull-request comment
  --junit FILE                JUnit XML, one test case per task
  --junit-per-example         with --junit: one test case per example instead`

const COMMON = `Common:
  -c, --config FILE   the config (default prompt-descent.yml)
  --task NAME         only this task (repeatable)
  --no-cache          no response cache for this run: every answer is asked again
  -q, --quiet         only warnings, errors and the result: no progress, no "wrote …" lines
  -h, --help          this help`

const EXIT = `Exit codes: 0 ok · 1 a gate failed · 2 bad input or config · 3 the run could not finish
(provider failure, budget stop, cancel — the report says what was scored).`

export const HELP = `prompt-descent — score prompts on your eval datasets and improve them within a budget

Usage:
  prompt-descent init      [--config FILE]
  prompt-descent eval      [--config FILE] [--task NAME]... [--split dev|test|all]
                           [--json FILE] [--markdown FILE] [--junit FILE [--junit-per-example]]
                           [--samples K] [--estimate] [--no-cache] [budget flags]
  prompt-descent compare   --base REF [--head REF] [same flags as eval]
  prompt-descent optimize  [--config FILE] [--method ${METHODS}] [--task NAME]... [--prompt user|system]
                           [--holdout TASK]... [--adapt] [--seed N] [--write [--write-user-prompts]] [--out DIR]
                           [--json FILE] [--markdown FILE] [--estimate] [--no-cache] [budget flags]
  prompt-descent demo      [DIR] [--no-optimize] [--seed N] [report and budget flags]
  prompt-descent history   [--file FILE] [--task NAME]... [--svg OUT]
  prompt-descent history append --file FILE [same flags as eval]

Budget flags: --max-usd N  --max-tokens N  --max-calls N  --max-minutes N
Every command takes -q/--quiet (no progress lines) and -h/--help (that command's flags):
prompt-descent eval --help.

${EXIT}`

const TEXTS: Record<Exclude<CommandName, 'help' | 'version'>, string> = {
  init: `prompt-descent init [--config FILE]

Looks for prompt files (*.md/*.txt templates with {{slots}}, YAML/JSON messages files, GitHub
Models *.prompt.yml files) and datasets (JSONL, JSON, CSV, YAML rows) in this folder and writes a
commented prompt-descent.yml that runs as written — a *.prompt.yml is a task on its own testData,
on GitHub Models when there is nothing else — or a starter task (a prompt and three rows) when it
finds none. Adds .prompt-descent/ and
the report folder to .gitignore and prints the next command. Never overwrites an existing config.

  -c, --config FILE   where to write the config (default prompt-descent.yml)
  -q, --quiet         print only the next command`,
  eval: `prompt-descent eval [--task NAME]... [--split dev|test|all] [report, budget flags]

Scores every task (default: all rows) and prints a table: task, examples, score with its interval,
unreadable answers, failed calls, calls and tokens. gate.min_score applies (exit 1 below it).

  --split dev|test|all   which rows to score (default all)
  --samples K            K replies per example (1–100; default models.target.samples)
  --estimate             print the expected calls, tokens and cost; no call is made

${COMMON}

${REPORTS}

${BUDGET}

${EXIT}`,
  compare: `prompt-descent compare --base REF [--head REF] [--task NAME]... [--split dev|test|all]

Scores the base commit's prompts, data and config (read with git show; the working tree is not
touched) and the head's on the same example ids, and applies the gate: base vs head, paired, with
an interval and a p-value per task. Tasks added, removed or renamed, and rows scored on one side
only, are listed. What the action runs on a pull request, for any other CI.

  --base REF             branch, tag or commit to compare against (required)
  --head REF             compare this commit instead of the working tree
  --split dev|test|all   which rows to score (default all)
  --samples K            K replies per example (1–100; default models.target.samples)
  --estimate             print the expected calls, tokens and cost; no call is made

${COMMON}

${REPORTS}

${BUDGET}

${EXIT}`,
  optimize: `prompt-descent optimize [--method ${METHODS}] [--task NAME] [--prompt user|system] ...

Improves prompts within the budget — APO or GEPA on one task's prompt, or MetaSPO or GEPA
(--prompt system on several tasks) on the shared system prompt — then scores the starting and the best prompts once on the held-out test split. The best
prompts go to --out; --write also replaces the prompt files when the gain on test is more than noise.

  ${`--method ${METHODS}`.padEnd(24)} default: optimize.method
  --prompt user|system     APO, GEPA: which prompt to edit (default optimize.apo.target);
                           GEPA with system and no single --task: the shared system prompt
  --holdout TASK           MetaSPO, shared-system GEPA: keep this task out of training (repeatable)
  --adapt                  MetaSPO: measure test-time adaptation on the unseen tasks
  --seed N                 optimizer seed (default optimize.seed, else seed)
  --write                  replace the prompt files in place when the gain is significant
  --write-user-prompts     shared system prompt, with --write: write the user prompts too
  --out DIR                where the best prompts go (default .prompt-descent/optimized/)
  --samples K              K replies per example when scoring candidates (1–100)
  --estimate               print the expected calls, tokens and cost; no call is made

${COMMON}

${REPORTS}

${BUDGET}

${EXIT}`,
  demo: `prompt-descent demo [DIR] [--no-optimize] [--seed N] [report and budget flags]

Writes two synthetic repositories under DIR (default prompt-descent-demo/) and runs the whole loop
offline with the simulated provider: eval, APO on a triage prompt, MetaSPO on seven tasks.

  --no-optimize       only score; skip APO and MetaSPO
  --seed N            seed of the synthetic data and the simulated models
  --split dev|test|all  rows to score in the eval step
  --no-cache          ignore the response cache
  -q, --quiet         no progress lines

${REPORTS}

${BUDGET}`,
  history: `prompt-descent history [--file FILE] [--task NAME]... [--svg OUT]
prompt-descent history append --file FILE [--task NAME]... [eval flags]

history prints a table per task (commit, date, score with interval, n, cost) with a sparkline. It
reads --file, else history/history.json here, else the action's data branch through git
(git fetch origin prompt-descent-data first).

  --file FILE   the history file
  --task NAME   only this task (repeatable)
  --svg OUT     write the trend chart (a file for one task, a folder of <task>.svg for several)

history append scores the tasks as eval does and appends the commit's record (git HEAD) to FILE —
the same record the action keeps on its data branch, so any CI can keep a history in a file it
commits or caches. A re-run of a commit replaces its record; the newest 200 records are kept; a
significant drop against the previous record is printed as a warning. Takes eval's flags
(--config, --task, --split, --no-cache, report and budget flags); a run that stopped early is not
recorded.

  -q, --quiet   no progress lines

${EXIT}`
}

/** The help for `topic` (a command), or the overview. */
export function helpText(topic: string | undefined): string {
  if (topic === undefined || !(topic in TEXTS)) return HELP
  return TEXTS[topic as keyof typeof TEXTS]
}
