"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { exportFileName, exportOrders } from "../api/export-orders";
import type { OrderFilters } from "../filters";

/** Hands `blob` to the browser as a download called `name`. */
function saveFile(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "Export": downloads the board's current view as CSV (for `orders:export`). */
export function ExportButton({ filters }: { filters: OrderFilters }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const onExport = async () => {
    setBusy(true);
    setError(null);
    try {
      saveFile(await exportOrders(filters), exportFileName(new Date()));
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button onClick={() => void onExport()} disabled={busy} title={t("orders.export.hint")}>
        {busy ? t("orders.export.busy") : t("orders.export")}
      </Button>
      {error ? <ErrorMessage error={error} fallback={t("orders.export.error")} /> : null}
    </span>
  );
}
