/** TTS `Application`, as the API shows it. */
export interface Application {
  ids: { application_id: string }
  created_at: string
  updated_at: string
  name?: string
  description?: string
}

export interface EndDeviceIds {
  device_id: string
  application_ids: { application_id: string }
  dev_eui?: string
  join_eui?: string
  dev_addr?: string
}

/** TTS `EndDevice` (the registry fields lorahooks keeps). */
export interface EndDevice {
  ids: EndDeviceIds
  created_at: string
  updated_at: string
  name?: string
  description?: string
}

/** TTS `APIKey`; `key` is only ever present in the answer to its creation. */
export interface ApiKey {
  id: string
  key?: string
  name?: string
  rights: string[]
  created_at: string
  updated_at: string
  expires_at?: string
}
