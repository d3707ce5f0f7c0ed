/**
 * Third-party API keys are issued by their vendor and rotated by hand; this
 * decides, from the age of the value in use, whether a rotation is due.
 * Age is measured from the creation of the AWSCURRENT version (the date the
 * key value was last put), not the secret's LastChangedDate, which also moves
 * on tag, description or policy changes.
 */
export type KeyState = "ok" | "due-soon" | "overdue" | "missing";

export interface KeyAge {
  name: string;
  state: KeyState;
  ageDays?: number;
  daysLeft?: number;
  dueDate?: string;
}

const DAY = 86_400_000;

export function classifyKeyAge(name: string, valueSetAt: Date | undefined, now: Date, rotationDays: number, reminderDays: number): KeyAge {
  if (!valueSetAt || Number.isNaN(valueSetAt.getTime())) return { name, state: "missing" };
  const ageDays = Math.floor((now.getTime() - valueSetAt.getTime()) / DAY);
  const daysLeft = rotationDays - ageDays;
  const dueDate = new Date(valueSetAt.getTime() + rotationDays * DAY).toISOString().slice(0, 10);
  const state: KeyState = daysLeft < 0 ? "overdue" : daysLeft <= reminderDays ? "due-soon" : "ok";
  return { name, state, ageDays, daysLeft, dueDate };
}
