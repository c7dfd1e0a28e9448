import type { MessageSpec } from './field-spec.js'
import {
  DOWNLINK_PATH_CONSTRAINT,
  LOCATION_SOURCE,
  RELAY_WOR_CHANNEL,
  TX_SCHEDULE_PRIORITY,
} from './enums.js'
import {
  ANY,
  BOOL,
  BYTES,
  DOUBLE,
  DURATION,
  FLOAT,
  FLOAT_VALUE,
  INT32,
  INT64,
  STRING,
  STRING_VALUE,
  STRUCT,
  TIMESTAMP,
  UINT32,
  UINT32_VALUE,
  UINT64,
  enumType,
  field,
  hex,
  mapOf,
  message,
  repeated,
} from './types.js'

/** Fields TTS added after v3.32.1 carry no number: their numbers are not in our definitions. */
const NEWER = undefined

function up(number: number, name: string, messageName: string) {
  return field(number, name, message(messageName), { oneof: 'up' })
}

function modulation(number: number, name: string, messageName: string) {
  return field(number, name, message(messageName), { oneof: 'modulation' })
}

/** ttn.lorawan.v3 messages reachable from ApplicationUp, fields in declaration order. */
export const MESSAGE_SPECS: readonly MessageSpec[] = [
  {
    name: 'ApplicationUp',
    fields: [
      field(1, 'end_device_ids', message('EndDeviceIdentifiers')),
      repeated(2, 'correlation_ids', STRING),
      field(12, 'received_at', TIMESTAMP),
      up(3, 'uplink_message', 'ApplicationUplink'),
      up(15, 'uplink_normalized', 'ApplicationUplinkNormalized'),
      up(4, 'join_accept', 'ApplicationJoinAccept'),
      up(5, 'downlink_ack', 'ApplicationDownlink'),
      up(6, 'downlink_nack', 'ApplicationDownlink'),
      up(7, 'downlink_sent', 'ApplicationDownlink'),
      up(8, 'downlink_failed', 'ApplicationDownlinkFailed'),
      up(9, 'downlink_queued', 'ApplicationDownlink'),
      up(10, 'downlink_queue_invalidated', 'ApplicationInvalidatedDownlinks'),
      up(11, 'location_solved', 'ApplicationLocation'),
      up(13, 'service_data', 'ApplicationServiceData'),
      field(14, 'simulated', BOOL),
    ],
  },
  {
    name: 'EndDeviceIdentifiers',
    fields: [
      field(1, 'device_id', STRING),
      field(2, 'application_ids', message('ApplicationIdentifiers')),
      field(4, 'dev_eui', hex(8)),
      field(5, 'join_eui', hex(8)),
      field(6, 'dev_addr', hex(4)),
    ],
  },
  {
    name: 'ApplicationIdentifiers',
    fields: [field(1, 'application_id', STRING)],
  },
  {
    name: 'GatewayIdentifiers',
    fields: [field(1, 'gateway_id', STRING), field(2, 'eui', hex(8))],
  },
  {
    name: 'ApplicationUplink',
    fields: [
      field(1, 'session_key_id', BYTES),
      field(2, 'f_port', UINT32),
      field(3, 'f_cnt', UINT32),
      field(4, 'frm_payload', BYTES),
      field(5, 'decoded_payload', STRUCT),
      repeated(12, 'decoded_payload_warnings', STRING),
      repeated(17, 'normalized_payload', STRUCT),
      repeated(18, 'normalized_payload_warnings', STRING),
      repeated(6, 'rx_metadata', message('RxMetadata')),
      field(7, 'settings', message('TxSettings')),
      field(8, 'received_at', TIMESTAMP),
      field(9, 'app_s_key', message('KeyEnvelope')),
      field(10, 'last_a_f_cnt_down', UINT32),
      field(11, 'confirmed', BOOL),
      field(13, 'consumed_airtime', DURATION),
      field(19, 'packet_error_rate', FLOAT),
      mapOf(14, 'locations', message('Location')),
      field(15, 'version_ids', message('EndDeviceVersionIdentifiers')),
      field(16, 'network_ids', message('NetworkIdentifiers')),
      field(NEWER, 'last_battery_percentage', FLOAT_VALUE),
      mapOf(NEWER, 'attributes', STRING),
    ],
  },
  {
    name: 'ApplicationUplinkNormalized',
    fields: [
      field(1, 'session_key_id', BYTES),
      field(2, 'f_port', UINT32),
      field(3, 'f_cnt', UINT32),
      field(4, 'frm_payload', BYTES),
      field(5, 'normalized_payload', STRUCT),
      repeated(6, 'normalized_payload_warnings', STRING),
      repeated(7, 'rx_metadata', message('RxMetadata')),
      field(8, 'settings', message('TxSettings')),
      field(9, 'received_at', TIMESTAMP),
      field(10, 'confirmed', BOOL),
      field(11, 'consumed_airtime', DURATION),
      mapOf(12, 'locations', message('Location')),
      field(13, 'version_ids', message('EndDeviceVersionIdentifiers')),
      field(14, 'network_ids', message('NetworkIdentifiers')),
      mapOf(NEWER, 'attributes', STRING),
    ],
  },
  {
    name: 'ApplicationJoinAccept',
    fields: [
      field(1, 'session_key_id', BYTES),
      field(2, 'app_s_key', message('KeyEnvelope')),
      repeated(3, 'invalidated_downlinks', message('ApplicationDownlink')),
      field(4, 'pending_session', BOOL),
      field(8, 'received_at', TIMESTAMP),
      mapOf(NEWER, 'locations', message('Location')),
      field(NEWER, 'version_ids', message('EndDeviceVersionIdentifiers')),
      field(NEWER, 'network_ids', message('NetworkIdentifiers')),
      mapOf(NEWER, 'attributes', STRING),
    ],
  },
  {
    name: 'ApplicationDownlink',
    fields: [
      field(1, 'session_key_id', BYTES),
      field(2, 'f_port', UINT32),
      field(3, 'f_cnt', UINT32),
      field(4, 'frm_payload', BYTES),
      field(5, 'decoded_payload', STRUCT),
      repeated(10, 'decoded_payload_warnings', STRING),
      field(6, 'confirmed', BOOL),
      field(7, 'class_b_c', message('ApplicationDownlink.ClassBC')),
      field(8, 'priority', enumType(TX_SCHEDULE_PRIORITY)),
      repeated(9, 'correlation_ids', STRING),
      field(11, 'confirmed_retry', message('ApplicationDownlink.ConfirmedRetry')),
      mapOf(NEWER, 'locations', message('Location')),
      field(NEWER, 'version_ids', message('EndDeviceVersionIdentifiers')),
      field(NEWER, 'network_ids', message('NetworkIdentifiers')),
      mapOf(NEWER, 'attributes', STRING),
    ],
  },
  {
    name: 'ApplicationDownlink.ClassBC',
    fields: [
      repeated(7, 'gateways', message('ClassBCGatewayIdentifiers')),
      field(8, 'absolute_time', TIMESTAMP),
    ],
  },
  {
    name: 'ClassBCGatewayIdentifiers',
    fields: [
      field(1, 'gateway_ids', message('GatewayIdentifiers')),
      field(2, 'antenna_index', UINT32),
      field(3, 'group_index', UINT32),
    ],
  },
  {
    name: 'ApplicationDownlink.ConfirmedRetry',
    fields: [field(1, 'attempt', UINT32), field(2, 'max_attempts', UINT32_VALUE)],
  },
  {
    name: 'ApplicationDownlinks',
    fields: [repeated(1, 'downlinks', message('ApplicationDownlink'))],
  },
  {
    name: 'ApplicationDownlinkFailed',
    fields: [
      field(1, 'downlink', message('ApplicationDownlink')),
      field(2, 'error', message('ErrorDetails')),
    ],
  },
  {
    name: 'ApplicationInvalidatedDownlinks',
    fields: [
      repeated(1, 'downlinks', message('ApplicationDownlink')),
      field(2, 'last_f_cnt_down', UINT32),
      field(3, 'session_key_id', BYTES),
    ],
  },
  {
    name: 'ApplicationLocation',
    fields: [
      field(1, 'service', STRING),
      field(2, 'location', message('Location')),
      mapOf(3, 'attributes', STRING),
    ],
  },
  {
    name: 'ApplicationServiceData',
    fields: [field(1, 'service', STRING), field(2, 'data', STRUCT)],
  },
  {
    name: 'Location',
    fields: [
      field(1, 'latitude', DOUBLE),
      field(2, 'longitude', DOUBLE),
      field(3, 'altitude', INT32),
      field(4, 'accuracy', INT32),
      field(5, 'source', enumType(LOCATION_SOURCE)),
    ],
  },
  {
    name: 'ErrorDetails',
    fields: [
      field(1, 'namespace', STRING),
      field(2, 'name', STRING),
      field(3, 'message_format', STRING),
      field(4, 'attributes', STRUCT),
      field(5, 'correlation_id', STRING),
      field(6, 'cause', message('ErrorDetails')),
      field(7, 'code', UINT32),
      repeated(8, 'details', ANY),
    ],
  },
  {
    name: 'KeyEnvelope',
    fields: [
      field(1, 'key', hex(16)),
      field(2, 'kek_label', STRING),
      field(3, 'encrypted_key', BYTES),
    ],
  },
  {
    name: 'EndDeviceVersionIdentifiers',
    fields: [
      field(1, 'brand_id', STRING),
      field(2, 'model_id', STRING),
      field(3, 'hardware_version', STRING),
      field(4, 'firmware_version', STRING),
      field(5, 'band_id', STRING),
    ],
  },
  {
    name: 'NetworkIdentifiers',
    fields: [
      field(1, 'net_id', hex(3)),
      field(2, 'tenant_id', STRING),
      field(3, 'cluster_id', STRING),
      field(4, 'cluster_address', STRING),
      field(5, 'tenant_address', STRING),
      field(6, 'ns_id', hex(8)),
    ],
  },
  {
    name: 'RxMetadata',
    fields: [
      field(1, 'gateway_ids', message('GatewayIdentifiers')),
      field(18, 'packet_broker', message('PacketBrokerMetadata')),
      field(23, 'relay', message('RelayMetadata')),
      field(2, 'antenna_index', UINT32),
      field(3, 'time', TIMESTAMP),
      field(4, 'timestamp', UINT32),
      field(5, 'fine_timestamp', UINT64),
      field(6, 'encrypted_fine_timestamp', BYTES),
      field(7, 'encrypted_fine_timestamp_key_id', STRING),
      field(8, 'rssi', FLOAT),
      field(16, 'signal_rssi', FLOAT_VALUE),
      field(9, 'channel_rssi', FLOAT),
      field(10, 'rssi_standard_deviation', FLOAT),
      field(11, 'snr', FLOAT),
      field(12, 'frequency_offset', INT64),
      field(13, 'location', message('Location')),
      field(14, 'downlink_path_constraint', enumType(DOWNLINK_PATH_CONSTRAINT)),
      field(15, 'uplink_token', BYTES),
      field(17, 'channel_index', UINT32),
      field(19, 'hopping_width', UINT32),
      field(20, 'frequency_drift', INT32),
      field(21, 'gps_time', TIMESTAMP),
      field(22, 'received_at', TIMESTAMP),
      field(99, 'advanced', STRUCT),
    ],
  },
  {
    name: 'RelayMetadata',
    fields: [
      field(1, 'device_id', STRING),
      field(2, 'wor_channel', enumType(RELAY_WOR_CHANNEL)),
    ],
  },
  {
    name: 'PacketBrokerMetadata',
    fields: [
      field(1, 'message_id', STRING),
      field(2, 'forwarder_net_id', hex(3)),
      field(3, 'forwarder_tenant_id', STRING),
      field(4, 'forwarder_cluster_id', STRING),
      field(9, 'forwarder_gateway_eui', hex(8)),
      field(10, 'forwarder_gateway_id', STRING_VALUE),
      field(5, 'home_network_net_id', hex(3)),
      field(6, 'home_network_tenant_id', STRING),
      field(8, 'home_network_cluster_id', STRING),
      repeated(7, 'hops', message('PacketBrokerRouteHop')),
    ],
  },
  {
    name: 'PacketBrokerRouteHop',
    fields: [
      field(1, 'received_at', TIMESTAMP),
      field(2, 'sender_name', STRING),
      field(3, 'sender_address', STRING),
      field(4, 'receiver_name', STRING),
      field(5, 'receiver_agent', STRING),
    ],
  },
  {
    name: 'TxSettings',
    fields: [
      field(1, 'data_rate', message('DataRate')),
      field(4, 'frequency', UINT64),
      field(5, 'enable_crc', BOOL),
      field(6, 'timestamp', UINT32),
      field(7, 'time', TIMESTAMP),
      field(8, 'downlink', message('TxSettings.Downlink')),
      field(9, 'concentrator_timestamp', INT64),
    ],
  },
  {
    name: 'TxSettings.Downlink',
    fields: [
      field(1, 'antenna_index', UINT32),
      field(2, 'tx_power', FLOAT),
      field(3, 'invert_polarization', BOOL),
    ],
  },
  {
    name: 'DataRate',
    fields: [
      modulation(1, 'lora', 'LoRaDataRate'),
      modulation(2, 'fsk', 'FSKDataRate'),
      modulation(3, 'lrfhss', 'LRFHSSDataRate'),
    ],
  },
  {
    name: 'LoRaDataRate',
    fields: [
      field(1, 'bandwidth', UINT32),
      field(2, 'spreading_factor', UINT32),
      field(3, 'coding_rate', STRING),
    ],
  },
  {
    name: 'FSKDataRate',
    fields: [field(1, 'bit_rate', UINT32)],
  },
  {
    name: 'LRFHSSDataRate',
    fields: [
      field(1, 'modulation_type', UINT32),
      field(2, 'operating_channel_width', UINT32),
      field(3, 'coding_rate', STRING),
    ],
  },
]
