/** How statuses read to a customer. */
import type { Status } from "@awsomepets/core/order-status";

export const TERMINAL: readonly Status[] = ["completed", "cancelled"];

export const STATUS_LABELS: Record<Status, string> = {
  placed: "Order placed",
  reserved: "Pets reserved",
  paid: "Payment received",
  completed: "Completed",
  released: "Reservation released",
  refunded: "Payment refunded",
  cancelled: "Cancelled",
};

export const formatAmount = (amount: number) => amount.toFixed(2);

export function formatTime(iso: string) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
