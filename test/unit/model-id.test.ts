// Model ids as Hugging Face writes them: `name` or `org/name`, each part a plain folder name.
import { describe, expect, it } from 'vitest';
import { modelIdProblem } from '../../src/manifest/paths.js';

describe('modelIdProblem', () => {
  it('accepts a name and an org/name', () => {
    for (const id of [
      'tiny-lm',
      'Xenova/distilbert-base-uncased-finetuned-sst-2-english',
      'onnx-community/Qwen2.5-0.5B-Instruct',
      'a/b',
      'x_1.y/z-2',
    ]) {
      expect(modelIdProblem(id), id).toBeUndefined();
    }
  });

  it('refuses more than one slash, empty parts, dot parts and odd characters', () => {
    for (const id of [
      'a/b/c',
      '/a',
      'a/',
      '/',
      '',
      'a//b',
      '../a',
      'a/..',
      './a',
      'a/.',
      '.a',
      'a/.b',
      'a..b/c',
      'a b/c',
      'a/b?c',
      'a\\b',
      `${'a'.repeat(129)}/b`,
      `a/${'b'.repeat(129)}`,
    ]) {
      expect(modelIdProblem(id), id).toBeTypeOf('string');
    }
  });
});
