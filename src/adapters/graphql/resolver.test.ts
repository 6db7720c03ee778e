import { describe, expect, it } from 'vitest';
import type { Action, Effect } from '../../core/index.js';
import type { Topology } from './resolver.js';
import { placeTargets } from './resolver.js';

const action = (effect: Effect, environment?: string): Action => ({
  upstream: 'railway',
  surface: 'graphql',
  operation: 'volumeDelete',
  effect,
  reversible: false,
  digest: 'd',
  targets: [
    { type: 'volume', id: 'v1', attrs: {}, ...(environment === undefined ? {} : { environment }) },
  ],
});

const environmentsOf = (actions: Action[]): (string | undefined)[] =>
  actions.flatMap((a) => a.targets.map((t) => t.environment));

describe('placeTargets', () => {
  const topology: Topology = new Map([
    [
      'volume:v1',
      [
        { environment: 'staging', primary: false },
        { environment: 'main', primary: true },
      ],
    ],
  ]);

  it('splits a target present in several environments; a primary one also counts as production', () => {
    expect(environmentsOf(placeTargets([action('destructive')], topology, ['production']))).toEqual(
      ['staging', 'main', 'production'],
    );
    expect(environmentsOf(placeTargets([action('unknown')], topology, ['main']))).toEqual([
      'staging',
      'main',
    ]);
  });

  it('leaves unknown what the topology does not hold, or when there is none', () => {
    expect(
      environmentsOf(placeTargets([action('destructive')], new Map(), ['production'])),
    ).toEqual([undefined]);
    expect(
      environmentsOf(placeTargets([action('destructive')], undefined, ['production'])),
    ).toEqual([undefined]);
  });

  it('places reads and writes too, and leaves already placed targets alone', () => {
    expect(
      environmentsOf(placeTargets([action('read'), action('write')], topology, ['main'])),
    ).toEqual(['staging', 'main', 'staging', 'main']);
    expect(
      environmentsOf(placeTargets([action('destructive', 'staging')], topology, ['production'])),
    ).toEqual(['staging']);
  });
});
