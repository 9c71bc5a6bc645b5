CREATE TABLE "connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"name" text NOT NULL,
	"mode" text NOT NULL,
	"base_url" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"credentials_sealed" text NOT NULL,
	"credential_hints" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"webhook_secret_sealed" text,
	"webhook_secret_hint" text,
	"previous_webhook_secret_sealed" text,
	"previous_webhook_secret_until" timestamp with time zone,
	"webhook_token_hash" text NOT NULL,
	"webhook_token_sealed" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"last_test_at" timestamp with time zone,
	"last_test_ok" boolean,
	"last_test_message" text,
	"sync_cursor" text,
	"last_sync_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_counters" (
	"connection_id" uuid NOT NULL,
	"name" text NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_counters_connection_id_name_pk" PRIMARY KEY("connection_id","name")
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"transaction_id" uuid NOT NULL,
	"provider_id" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"raw_status" text NOT NULL,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"fee_minor" bigint,
	"decline_code" text,
	"decline_message" text,
	"provider_created_at" timestamp with time zone,
	"provider_updated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timeline_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "timeline_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"source" text NOT NULL,
	"summary" text NOT NULL,
	"details" jsonb,
	"delivery_id" bigint
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"provider_id" text NOT NULL,
	"reference" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"raw_status" text NOT NULL,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"fee_minor" bigint,
	"customer_email" text,
	"customer_name" text,
	"card_bin" text,
	"card_last4" text,
	"card_brand" text,
	"method" text,
	"decline_code" text,
	"decline_message" text,
	"test_mode" text,
	"provider_created_at" timestamp with time zone,
	"provider_updated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"metadata" jsonb,
	"raw" jsonb,
	"next_check_at" timestamp with time zone,
	"check_attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"connection_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"event_id" text,
	"state" text NOT NULL,
	"reject_reason" text,
	"reject_detail" text,
	"verified_with" text,
	"reference" text,
	"provider_object_id" text,
	"observation" jsonb,
	"body" text NOT NULL,
	"headers" jsonb NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"last_duplicate_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"applied_at" timestamp with time zone,
	"last_error" text,
	"transaction_id" uuid
);
--> statement-breakpoint
ALTER TABLE "ledger_counters" ADD CONSTRAINT "ledger_counters_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_events" ADD CONSTRAINT "timeline_events_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "connections_webhook_token_key" ON "connections" USING btree ("webhook_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "connections_name_key" ON "connections" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "connections_provider_idx" ON "connections" USING btree ("provider");--> statement-breakpoint
CREATE UNIQUE INDEX "operations_transaction_provider_key" ON "operations" USING btree ("transaction_id","provider_id");--> statement-breakpoint
CREATE INDEX "timeline_events_transaction_idx" ON "timeline_events" USING btree ("transaction_id","at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "transactions_provider_object_key" ON "transactions" USING btree ("connection_id","provider_id");--> statement-breakpoint
CREATE INDEX "transactions_reference_idx" ON "transactions" USING btree ("connection_id","reference");--> statement-breakpoint
CREATE INDEX "transactions_occurred_idx" ON "transactions" USING btree ("occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_status_occurred_idx" ON "transactions" USING btree ("status","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_provider_occurred_idx" ON "transactions" USING btree ("provider","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_customer_email_idx" ON "transactions" USING btree (lower("customer_email"));--> statement-breakpoint
CREATE INDEX "transactions_reference_lookup_idx" ON "transactions" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "transactions_provider_id_lookup_idx" ON "transactions" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "transactions_due_check_idx" ON "transactions" USING btree ("next_check_at") WHERE "transactions"."next_check_at" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_key" ON "webhook_deliveries" USING btree ("connection_id","event_id") WHERE "webhook_deliveries"."event_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_idx" ON "webhook_deliveries" USING btree ("connection_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_open_idx" ON "webhook_deliveries" USING btree ("received_at") WHERE "webhook_deliveries"."state" = 'pending';