/** Display names of the webhook formats, as TTS answers GetFormats. */
export const FORMAT_NAMES: Record<string, string> = {
  json: 'JSON',
  protobuf: 'Protocol Buffers',
}
