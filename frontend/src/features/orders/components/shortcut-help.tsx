"use client";

/** The `?` help: every shortcut this user can use, nothing they cannot. */
import { Button } from "@/components/ui/button";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { Shortcut } from "../shortcuts";

export function ShortcutKeys({ shortcut }: { shortcut: Shortcut }) {
  return (
    <>
      {shortcut.keys.map((key, i) => (
        <span key={key}>
          {i > 0 ? "/" : null}
          <kbd className="rounded border border-slate-300 bg-slate-50 px-1 font-mono text-xs dark:border-slate-600 dark:bg-slate-800">{key}</kbd>
        </span>
      ))}
    </>
  );
}

export function ShortcutHelp({ shortcuts, onClose }: { shortcuts: readonly Shortcut[]; onClose(): void }) {
  const { t } = useI18n();
  return (
    <ModalDialog title={t("shortcuts.title")} onClose={onClose}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {shortcuts.map((shortcut) => (
          <div key={shortcut.id} className="contents">
            <dt className="text-right">
              <ShortcutKeys shortcut={shortcut} />
            </dt>
            <dd>{t(shortcut.label)}</dd>
          </div>
        ))}
      </dl>
      <div className="flex justify-end">
        <Button onClick={onClose}>{t("common.close")}</Button>
      </div>
    </ModalDialog>
  );
}
