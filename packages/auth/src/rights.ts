/** Application rights in the declaration order of TTS's `rights.proto`. */
const RIGHT_DEFINITIONS = [
  { right: 'RIGHT_APPLICATION_INFO', label: 'View application information' },
  { right: 'RIGHT_APPLICATION_SETTINGS_BASIC', label: 'Edit basic application settings' },
  { right: 'RIGHT_APPLICATION_SETTINGS_API_KEYS', label: 'View and manage application API keys' },
  {
    right: 'RIGHT_APPLICATION_SETTINGS_COLLABORATORS',
    label: 'View and manage application collaborators',
  },
  { right: 'RIGHT_APPLICATION_SETTINGS_PACKAGES', label: 'View and manage application packages' },
  { right: 'RIGHT_APPLICATION_DELETE', label: 'Delete the application' },
  { right: 'RIGHT_APPLICATION_DEVICES_READ', label: 'View end devices' },
  { right: 'RIGHT_APPLICATION_DEVICES_WRITE', label: 'Create, edit and delete end devices' },
  { right: 'RIGHT_APPLICATION_DEVICES_READ_KEYS', label: 'View end device keys' },
  { right: 'RIGHT_APPLICATION_DEVICES_WRITE_KEYS', label: 'Edit end device keys' },
  { right: 'RIGHT_APPLICATION_TRAFFIC_READ', label: 'Read application traffic' },
  { right: 'RIGHT_APPLICATION_TRAFFIC_UP_WRITE', label: 'Write uplink application traffic' },
  { right: 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE', label: 'Write downlink application traffic' },
  {
    right: 'RIGHT_APPLICATION_LINK',
    label: 'Link as an integration: read traffic and write downlinks',
  },
  { right: 'RIGHT_APPLICATION_ALL', label: 'All current and future application rights' },
] as const

export type ApplicationRight = (typeof RIGHT_DEFINITIONS)[number]['right']

export const APPLICATION_RIGHTS: readonly ApplicationRight[] = Object.freeze(
  RIGHT_DEFINITIONS.map((definition) => definition.right),
)

/** TTS's universal pseudo right (enum 55); a grant of it covers every application right. */
export const RIGHT_ALL = 'RIGHT_ALL'

const LABELS = new Map<string, string>(
  RIGHT_DEFINITIONS.map((definition) => [definition.right, definition.label]),
)

const LINK_IMPLIES: readonly ApplicationRight[] = [
  'RIGHT_APPLICATION_LINK',
  'RIGHT_APPLICATION_INFO',
  'RIGHT_APPLICATION_TRAFFIC_READ',
  'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
]

export function isApplicationRight(value: string): value is ApplicationRight {
  return LABELS.has(value)
}

/** Every application right a grant amounts to; names that are not application rights drop out. */
export function expandRights(rights: readonly string[]): Set<ApplicationRight> {
  const granted = new Set(rights)
  if (granted.has(RIGHT_ALL) || granted.has('RIGHT_APPLICATION_ALL')) {
    return new Set(APPLICATION_RIGHTS)
  }

  const implied = new Set<ApplicationRight>()
  if (granted.has('RIGHT_APPLICATION_LINK')) LINK_IMPLIES.forEach((right) => implied.add(right))

  // Built in enum order so callers listing the result get a stable, familiar order.
  return new Set(APPLICATION_RIGHTS.filter((right) => granted.has(right) || implied.has(right)))
}

/** The required rights the grant does not cover, in the order they were asked for. */
export function missingRights(
  granted: readonly string[],
  required: readonly ApplicationRight[],
): ApplicationRight[] {
  const held = expandRights(granted)
  return [...new Set(required)].filter((right) => !held.has(right))
}

/** Human label for a right, for the console. */
export function describeRight(right: ApplicationRight): string {
  return LABELS.get(right) ?? right
}
