/**
 * Page shortcuts: Space plays or pauses (unless a control has focus: Space presses it), S steps
 * (unless typing in a field).
 */
import { useEffect, useRef } from 'react';

const TYPING = 'input, select, textarea, [contenteditable]';
const CONTROL = `${TYPING}, button, a, summary`;

export function useKeyboard(actions: { toggle(): void; step(): void }): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as Element | null;
      if (t?.closest?.(TYPING)) return;
      if (e.key === ' ') {
        if (t?.closest?.(CONTROL)) return;
        e.preventDefault();
        ref.current.toggle();
      } else if (e.key === 's' || e.key === 'S') {
        ref.current.step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
