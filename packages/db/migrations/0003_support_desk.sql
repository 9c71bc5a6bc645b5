CREATE TABLE "grid_preferences" (
	"user_id" uuid NOT NULL,
	"grid" text NOT NULL,
	"layout" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"grid" text NOT NULL,
	"name" text NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"state" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "transactions_customer_email_idx";--> statement-breakpoint
ALTER TABLE "grid_preferences" ADD CONSTRAINT "grid_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "grid_preferences_key" ON "grid_preferences" USING btree ("user_id","grid");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_name_key" ON "saved_views" USING btree ("owner_id","grid","name");--> statement-breakpoint
CREATE INDEX "saved_views_shared_idx" ON "saved_views" USING btree ("grid") WHERE "saved_views"."shared";--> statement-breakpoint
CREATE INDEX "operations_provider_id_idx" ON "operations" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "transactions_connection_occurred_idx" ON "transactions" USING btree ("connection_id","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_currency_occurred_idx" ON "transactions" USING btree ("currency","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_kind_occurred_idx" ON "transactions" USING btree ("kind","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_method_occurred_idx" ON "transactions" USING btree ("method","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_customer_email_occurred_idx" ON "transactions" USING btree (lower("customer_email"),"occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_card_last4_occurred_idx" ON "transactions" USING btree ("card_last4","occurred_at" DESC NULLS LAST);