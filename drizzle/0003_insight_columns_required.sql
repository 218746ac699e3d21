ALTER TABLE "support_requests" ALTER COLUMN "staff_group" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "support_requests" ALTER COLUMN "tenure_band" SET NOT NULL;