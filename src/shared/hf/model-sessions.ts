// Which ONNX sessions transformers.js loads for a model's config.json, as its
// models/session_config.js says (4.3.1): a map from session key to the file's base name.
import TABLE from './model-types.json' with { type: 'json' };

export interface ModelConfig {
  model_type?: string;
  architectures?: string[];
  is_encoder_decoder?: boolean;
  vision_config?: unknown;
  audio_config?: unknown;
  'transformers.js_config'?: {
    dtype?: string | Record<string, string>;
    use_external_data_format?: boolean | number | Record<string, boolean | number>;
  };
}

const ENCODER_DECODER = { model: 'encoder_model', decoder_model_merged: 'decoder_model_merged' };
const TEXT_ONLY = { embed_tokens: 'embed_tokens', decoder_model_merged: 'decoder_model_merged' };

const SESSIONS: Record<string, (c: ModelConfig) => Record<string, string>> = {
  Seq2Seq: () => ENCODER_DECODER,
  Vision2Seq: () => ENCODER_DECODER,
  EncoderDecoder: () => ENCODER_DECODER,
  Musicgen: () => ({
    model: 'text_encoder',
    decoder_model_merged: 'decoder_model_merged',
    encodec_decode: 'encodec_decode',
  }),
  MaskGeneration: () => ({ model: 'vision_encoder', prompt_encoder_mask_decoder: 'prompt_encoder_mask_decoder' }),
  ImageTextToText: (c) => ({
    ...TEXT_ONLY,
    vision_encoder: 'vision_encoder',
    ...(c.is_encoder_decoder && { model: 'encoder_model' }),
  }),
  AudioTextToText: () => ({ ...TEXT_ONLY, audio_encoder: 'audio_encoder' }),
  ImageAudioTextToText: () => ({ ...TEXT_ONLY, audio_encoder: 'audio_encoder', vision_encoder: 'vision_encoder' }),
  VoxtralRealtime: () => ({ ...TEXT_ONLY, audio_encoder: 'audio_encoder' }),
  Phi3V: () => ({ prepare_inputs_embeds: 'prepare_inputs_embeds', model: 'model', vision_encoder: 'vision_encoder' }),
  MultiModality: () => ({
    prepare_inputs_embeds: 'prepare_inputs_embeds',
    model: 'language_model',
    lm_head: 'lm_head',
    gen_head: 'gen_head',
    gen_img_embeds: 'gen_img_embeds',
    image_decode: 'image_decode',
  }),
  AutoEncoder: () => ({ encoder_model: 'encoder_model', decoder_model: 'decoder_model' }),
  Supertonic: () => ({
    text_encoder: 'text_encoder',
    latent_denoiser: 'latent_denoiser',
    voice_decoder: 'voice_decoder',
  }),
  Chatterbox: () => ({
    embed_tokens: 'embed_tokens',
    speech_encoder: 'speech_encoder',
    model: 'language_model',
    conditional_decoder: 'conditional_decoder',
  }),
  MultimodalEncoder: (c) => ({
    model: 'model',
    ...(c.vision_config ? { vision_encoder: 'vision_encoder' } : {}),
    ...(c.audio_config ? { audio_encoder: 'audio_encoder' } : {}),
  }),
};

/** The model type as transformers.js resolves it: by architecture first, then by model_type. */
export function modelTypeOf(config: ModelConfig): string | undefined {
  const archs: Record<string, string> = TABLE.architectures;
  const types: Record<string, string> = TABLE.modelTypes;
  for (const arch of config.architectures ?? []) if (archs[arch]) return archs[arch];
  return config.model_type ? types[config.model_type] : undefined;
}

/** Session key → ONNX base name (`onnx/<base><suffix>.onnx`); one `model` for most models. */
export function sessionsOf(config: ModelConfig): Record<string, string> {
  const type = modelTypeOf(config);
  return (type && SESSIONS[type]?.(config)) || { model: 'model' };
}
