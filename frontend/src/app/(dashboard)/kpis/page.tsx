"use client";

import { useCurrentUser } from "@/features/auth/components/auth-provider";
import { KpiPage } from "@/features/kpis/components/kpi-page";

export default function Kpis() {
  const user = useCurrentUser();
  return <KpiPage actor={user} />;
}
