/** React wrapper around <bl-quiz> for labs (the log lab's quiz); the element does the work. */
import { useEffect, useRef } from 'react';
import type { QuizQuestion as Question } from '../../../labs/shared/quiz';
import { QUIZ_ANSWER_EVENT, type QuizElement } from './quiz-element';

interface Props {
  question: Question;
  onAnswer?: (answer: { id: string; choice: string; correct: boolean }) => void;
}

export default function QuizQuestion({ question, onAnswer }: Props) {
  const ref = useRef<QuizElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.question = question;
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
