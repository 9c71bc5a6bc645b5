CREATE TABLE "refund_intents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"transaction_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"idempotency_key" text NOT NULL,
	"provider_reference" text NOT NULL,
	"state" text NOT NULL,
	"approval_required" boolean NOT NULL,
	"approval_rule" text,
	"requested_by" uuid NOT NULL,
	"requested_by_email" text NOT NULL,
	"decided_by" uuid,
	"decided_by_email" text,
	"decision_reason" text,
	"decided_at" timestamp with time zone,
	"provider_refund_id" text,
	"provider_status" text,
	"last_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"checks" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "refund_intents_amount_positive" CHECK ("refund_intents"."amount_minor" > 0),
	CONSTRAINT "refund_intents_note_for_other" CHECK ("refund_intents"."reason" <> 'other' OR length(btrim(coalesce("refund_intents"."note", ''))) > 0),
	CONSTRAINT "refund_intents_state_known" CHECK ("refund_intents"."state" IN ('awaiting_approval', 'queued', 'sending', 'processing', 'unknown_outcome', 'succeeded', 'failed', 'rejected')),
	CONSTRAINT "refund_intents_reason_known" CHECK ("refund_intents"."reason" IN ('duplicate', 'fraudulent', 'requested_by_customer', 'product_not_delivered', 'other')),
	CONSTRAINT "refund_intents_decided" CHECK ("refund_intents"."state" <> 'rejected' OR "refund_intents"."decided_by" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "refund_intents" ADD CONSTRAINT "refund_intents_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_intents" ADD CONSTRAINT "refund_intents_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_intents" ADD CONSTRAINT "refund_intents_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_intents" ADD CONSTRAINT "refund_intents_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "refund_intents_idempotency_key" ON "refund_intents" USING btree ("transaction_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "refund_intents_provider_reference_key" ON "refund_intents" USING btree ("provider_reference") WHERE "refund_intents"."provider" <> 'gate';--> statement-breakpoint
CREATE UNIQUE INDEX "refund_intents_gate_one_live" ON "refund_intents" USING btree ("transaction_id") WHERE "refund_intents"."provider" = 'gate' AND "refund_intents"."state" NOT IN ('failed', 'rejected');--> statement-breakpoint
CREATE UNIQUE INDEX "refund_intents_provider_refund_key" ON "refund_intents" USING btree ("transaction_id","provider_refund_id") WHERE "refund_intents"."provider_refund_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "refund_intents_transaction_idx" ON "refund_intents" USING btree ("transaction_id","created_at");--> statement-breakpoint
CREATE INDEX "refund_intents_awaiting_idx" ON "refund_intents" USING btree ("created_at") WHERE "refund_intents"."state" = 'awaiting_approval';--> statement-breakpoint
CREATE INDEX "refund_intents_due_idx" ON "refund_intents" USING btree ("next_attempt_at") WHERE "refund_intents"."state" IN ('queued', 'processing', 'unknown_outcome');--> statement-breakpoint
CREATE INDEX "refund_intents_lease_idx" ON "refund_intents" USING btree ("lease_until") WHERE "refund_intents"."state" = 'sending';--> statement-breakpoint
-- Nothing may be refunded twice, whatever the code does: succeeded and open intents, or what the ledger
-- already knows was refunded (whichever is more), never exceed the captured amount. The transaction
-- row is locked first, so concurrent intents for one payment are checked one after the other, each
-- seeing the others once they committed. NO KEY UPDATE, not UPDATE: the foreign key check of the
-- insert already holds KEY SHARE on that row, and two inserts upgrading it to UPDATE would deadlock.
-- A final state never changes.
CREATE FUNCTION refund_intents_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  captured bigint;
  refunded bigint;
  tx_currency text;
  tx_provider text;
  succeeded_sum bigint;
  open_sum bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.state IN ('succeeded', 'failed', 'rejected') AND NEW.state <> OLD.state THEN
    RAISE EXCEPTION 'refund intent % is %: a final state never changes (to %)', OLD.id, OLD.state, NEW.state
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_intents_final_state';
  END IF;
  IF NEW.state IN ('failed', 'rejected') THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE'
     AND OLD.state NOT IN ('failed', 'rejected')
     AND NEW.amount_minor <= OLD.amount_minor
     AND NEW.transaction_id = OLD.transaction_id
     AND NEW.currency = OLD.currency
     AND NEW.provider = OLD.provider THEN
    RETURN NULL;
  END IF;
  SELECT amount_minor, refunded_minor, currency, provider
    INTO captured, refunded, tx_currency, tx_provider
    FROM transactions WHERE id = NEW.transaction_id FOR NO KEY UPDATE;
  IF NEW.currency <> tx_currency OR NEW.provider <> tx_provider THEN
    RAISE EXCEPTION 'refund intent % is % at %, its transaction % at %', NEW.id, NEW.currency, NEW.provider,
      tx_currency, tx_provider
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_intents_match_transaction';
  END IF;
  IF NEW.provider = 'gate' AND NEW.amount_minor <> captured THEN
    RAISE EXCEPTION 'refund intent % is for % of %: Gate refunds only the full amount', NEW.id,
      NEW.amount_minor, captured
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_intents_gate_full_only';
  END IF;
  SELECT coalesce(sum(amount_minor) FILTER (WHERE state = 'succeeded'), 0),
         coalesce(sum(amount_minor) FILTER (WHERE state NOT IN ('succeeded', 'failed', 'rejected')), 0)
    INTO succeeded_sum, open_sum
    FROM refund_intents WHERE transaction_id = NEW.transaction_id;
  IF greatest(refunded, succeeded_sum) + open_sum > captured THEN
    RAISE EXCEPTION 'refund intents of transaction % would exceed its captured amount % (refunded %, succeeded %, open %)',
      NEW.transaction_id, captured, refunded, succeeded_sum, open_sum
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_intents_within_captured';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER refund_intents_within_captured
  AFTER INSERT OR UPDATE ON refund_intents
  FOR EACH ROW EXECUTE FUNCTION refund_intents_guard();
