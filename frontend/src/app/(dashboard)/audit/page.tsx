"use client";

import { AuditPage } from "@/features/audit/components/audit-page";
import { useCurrentUser } from "@/features/auth/components/auth-provider";

export default function Audit() {
  const user = useCurrentUser();
  return <AuditPage actor={user} />;
}
