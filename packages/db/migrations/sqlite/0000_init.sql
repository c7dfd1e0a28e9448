CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`application_id` text,
	`name` text,
	`rights` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`expires_at` text
);
--> statement-breakpoint
CREATE INDEX `api_keys_application` ON `api_keys` (`application_id`);--> statement-breakpoint
CREATE TABLE `applications` (
	`application_id` text PRIMARY KEY NOT NULL,
	`name` text,
	`description` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_row_id` integer NOT NULL,
	`application_id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`lease_token` text,
	`last_status` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliveries_ready` ON `deliveries` (`next_attempt_at`,`id`) WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX `deliveries_leased` ON `deliveries` (`lease_until`) WHERE state = 'inflight';--> statement-breakpoint
CREATE INDEX `deliveries_webhook` ON `deliveries` (`application_id`,`webhook_id`,`id`);--> statement-breakpoint
CREATE TABLE `downlink_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` text NOT NULL,
	`device_id` text NOT NULL,
	`item` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `downlink_queue_device` ON `downlink_queue` (`application_id`,`device_id`,`id`);--> statement-breakpoint
CREATE TABLE `end_devices` (
	`application_id` text NOT NULL,
	`device_id` text NOT NULL,
	`name` text,
	`description` text,
	`dev_eui` text,
	`join_eui` text,
	`dev_addr` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`application_id`, `device_id`)
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`application_id` text NOT NULL,
	`device_id` text NOT NULL,
	`message_type` text NOT NULL,
	`dev_eui` text,
	`join_eui` text,
	`dev_addr` text,
	`body` text NOT NULL,
	`accepted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `messages_accepted_at` ON `messages` (`accepted_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`application_id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`config` text NOT NULL,
	`enabled_types` integer NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`health` text,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`last_failed_attempt_at` text,
	`last_failed_attempt_details` text,
	PRIMARY KEY(`application_id`, `webhook_id`)
);
