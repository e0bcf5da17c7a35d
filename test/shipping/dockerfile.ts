import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Copy, DockerfileParser, Instruction } from 'dockerfile-ast';

/**
 * The repository's Dockerfile read as data, for the policy test and the image
 * rehearsal: both look at the same stages and COPY lines the image build uses,
 * so neither keeps a second list of what the image contains.
 */
export interface DockerStage {
  readonly name: string;
  /** The FROM image (ARG defaults resolved) or the name of an earlier stage. */
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

export interface CopyStep {
  /** The stage copied from, or null for the build context. */
  readonly from: string | null;
  readonly sources: readonly string[];
  readonly destination: string;
}

export const REPO_ROOT = join(__dirname, '..', '..');

export function readDockerfile(path = join(REPO_ROOT, 'Dockerfile')): DockerStage[] {
  const dockerfile = DockerfileParser.parse(readFileSync(path, 'utf8'));
  const args = new Map(
    dockerfile.getInitialARGs().flatMap((arg) => {
      const property = arg.getProperty();
      return property ? [[property.getName(), property.getValue() ?? ''] as const] : [];
    }),
  );
  const resolve = (text: string): string => text.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => args.get(name) ?? whole);
  const stages: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image, , name] = instruction.getArguments().map((a) => a.getValue());
      stages.push({ name: name ?? String(stages.length), base: resolve(image), instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** The last stage: what `docker build` produces by default. */
export function runtimeStage(stages: readonly DockerStage[]): DockerStage {
  return stages[stages.length - 1];
}

export function stageNamed(stages: readonly DockerStage[], name: string): DockerStage {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`the Dockerfile has no stage named ${name}`);
  return stage;
}

export function instructionsOf(stage: DockerStage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword);
}

export function copiesOf(stage: DockerStage): CopyStep[] {
  return instructionsOf(stage, 'COPY').map((instruction) => {
    const copy = instruction as Copy;
    const paths = copy.getArguments().map((a) => a.getValue());
    return { from: copy.getFromFlag()?.getValue() ?? null, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
  });
}

/** ENV of a stage and of the stages it is built on. */
export function envOf(stages: readonly DockerStage[], stage: DockerStage): Record<string, string> {
  const parent = stages.find((s) => s.name === stage.base);
  const inherited = parent ? envOf(stages, parent) : {};
  const own = instructionsOf(stage, 'ENV').flatMap((instruction) =>
    (instruction as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] })
      .getProperties()
      .map((p) => [p.getName(), p.getValue() ?? ''] as const),
  );
  return { ...inherited, ...Object.fromEntries(own) };
}

export function workdirOf(stages: readonly DockerStage[], stage: DockerStage): string {
  const own = instructionsOf(stage, 'WORKDIR').pop();
  if (own) return own.getArgumentsContent() ?? '/';
  const parent = stages.find((s) => s.name === stage.base);
  return parent ? workdirOf(stages, parent) : '/';
}

/** The exec form (JSON array) of CMD, ENTRYPOINT or HEALTHCHECK CMD; shell form is refused. */
export function execForm(instruction: Instruction): string[] {
  const content = (instruction.getArgumentsContent() ?? '').replace(/^CMD\s+/, '');
  try {
    const parsed: unknown = JSON.parse(content);
    if (Array.isArray(parsed) && parsed.every((part) => typeof part === 'string')) return parsed;
  } catch {
    // reported below
  }
  throw new Error(`${instruction.getKeyword()} is not in exec form (a JSON array): ${content}`);
}

/** The shell commands of a stage's RUN lines and of the stages it is built on. */
export function runCommandsOf(stages: readonly DockerStage[], stage: DockerStage): string[] {
  const parent = stages.find((s) => s.name === stage.base);
  const inherited = parent ? runCommandsOf(stages, parent) : [];
  return [...inherited, ...instructionsOf(stage, 'RUN').map((i) => i.getArgumentsContent() ?? '')];
}
