CREATE TABLE `delivery_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`started_at` integer NOT NULL,
	`url` text NOT NULL,
	`status` integer,
	`duration_ms` real NOT NULL,
	`error` text,
	`response_excerpt` text
);
--> statement-breakpoint
CREATE INDEX `delivery_attempts_delivery` ON `delivery_attempts` (`delivery_id`,`attempt`);--> statement-breakpoint
ALTER TABLE `webhooks` ADD `held_until` integer;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `signing_secret` text;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `previous_signing_secret` text;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `previous_secret_until` text;--> statement-breakpoint
CREATE INDEX `deliveries_webhook_pending` ON `deliveries` (`application_id`,`webhook_id`,`next_attempt_at`,`id`) WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX `deliveries_message` ON `deliveries` (`message_row_id`);--> statement-breakpoint
CREATE INDEX `deliveries_dead` ON `deliveries` (`application_id`,`webhook_id`,`updated_at`) WHERE state = 'failed';--> statement-breakpoint
CREATE INDEX `deliveries_finished` ON `deliveries` (`updated_at`) WHERE state IN ('delivered', 'failed', 'cancelled');