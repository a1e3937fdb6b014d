/**
 * React wrapper around <bl-quiz> for labs (the log lab's quiz); the element does the work. The
 * element's module defines a class extending HTMLElement, so it is loaded in the browser only:
 * this component renders on the server as an empty element and upgrades after hydration.
 */
import { useEffect, useRef } from 'react';
import { QUIZ_ANSWER_EVENT, type QuizQuestion as Question } from '../../../labs/shared/quiz';
import type { QuizElement } from './quiz-element';

interface Props {
  question: Question;
  onAnswer?: (answer: { id: string; choice: string; correct: boolean }) => void;
}

export default function QuizQuestion({ question, onAnswer }: Props) {
  const ref = useRef<QuizElement>(null);
  useEffect(() => {
    let live = true;
    import('./quiz-element').then(() => {
      if (live && ref.current) ref.current.question = question;
    });
    return () => {
      live = false;
    };
  }, [question]);
  useEffect(() => {
    const el = ref.current;
    if (!el || !onAnswer) return;
    const handler = (e: Event) => onAnswer((e as CustomEvent).detail);
    el.addEventListener(QUIZ_ANSWER_EVENT, handler);
    return () => el.removeEventListener(QUIZ_ANSWER_EVENT, handler);
  }, [onAnswer]);
  return <bl-quiz ref={ref} data-quiz={question.id} />;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'bl-quiz': React.DetailedHTMLProps<React.HTMLAttributes<QuizElement>, QuizElement>;
    }
  }
}
