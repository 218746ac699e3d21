ALTER TYPE "public"."access_action" ADD VALUE 'manager_contacted';--> statement-breakpoint
ALTER TYPE "public"."event_kind" ADD VALUE 'consent_withdrawn';--> statement-breakpoint
ALTER TYPE "public"."event_kind" ADD VALUE 'consent_given';--> statement-breakpoint
ALTER TYPE "public"."event_kind" ADD VALUE 'manager_contacted';