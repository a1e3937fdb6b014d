/**
 * The drop target every lab uses: highlighted while something is dragged over it, the drop handed
 * on. `onDrop` runs inside the browser's drop handler, so it can still read `e.dataTransfer`
 * (browsers empty it once the handler returns). Files are read in the page; nothing is uploaded.
 */
import { useState, type DragEvent, type ReactNode } from 'react';

interface Props {
  /** The lab's own class for layout; the border and highlight come from `.bl-drop`. */
  className?: string;
  testId: string;
  onDrop: (e: DragEvent<HTMLDivElement>) => void;
  /** Content, or a function of whether something is being dragged over the zone. */
  children: ReactNode | ((dragging: boolean) => ReactNode);
}

export default function DropZone({ className, testId, onDrop, children }: Props) {
  const [dragging, setDragging] = useState(false);
  return (
    <div
      className={`bl-drop${className ? ` ${className}` : ''}${dragging ? ' is-dragging' : ''}`}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        onDrop(e);
      }}
    >
      {typeof children === 'function' ? children(dragging) : children}
    </div>
  );
}
