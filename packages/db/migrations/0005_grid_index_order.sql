DROP INDEX "transactions_occurred_idx";--> statement-breakpoint
DROP INDEX "transactions_status_occurred_idx";--> statement-breakpoint
DROP INDEX "transactions_provider_occurred_idx";--> statement-breakpoint
DROP INDEX "transactions_connection_occurred_idx";--> statement-breakpoint
DROP INDEX "transactions_currency_occurred_idx";--> statement-breakpoint
DROP INDEX "transactions_kind_occurred_idx";--> statement-breakpoint
DROP INDEX "transactions_method_occurred_idx";--> statement-breakpoint
DROP INDEX "transactions_customer_email_occurred_idx";--> statement-breakpoint
DROP INDEX "transactions_card_last4_occurred_idx";--> statement-breakpoint
CREATE INDEX "transactions_occurred_idx" ON "transactions" USING btree ("occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("currency","amount_minor");--> statement-breakpoint
CREATE INDEX "transactions_status_occurred_idx" ON "transactions" USING btree ("status","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "transactions_provider_occurred_idx" ON "transactions" USING btree ("provider","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "transactions_connection_occurred_idx" ON "transactions" USING btree ("connection_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "transactions_currency_occurred_idx" ON "transactions" USING btree ("currency","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "transactions_kind_occurred_idx" ON "transactions" USING btree ("kind","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "transactions_method_occurred_idx" ON "transactions" USING btree ("method","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "transactions_customer_email_occurred_idx" ON "transactions" USING btree (lower("customer_email"),"occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "transactions_card_last4_occurred_idx" ON "transactions" USING btree ("card_last4","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);