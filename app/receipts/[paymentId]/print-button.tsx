"use client";

export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="no-print rounded bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-900"
    >
      Print
    </button>
  );
}
