// The small document set the text page searches. Written in the words tiny-embed knows (film,
// weather, and how good or bad they were), so that its ranking can be checked by hand.
export interface PortalDocument {
  id: string;
  title: string;
  text: string;
}

export const DOCUMENTS: readonly PortalDocument[] = [
  { id: 'review-gala', title: 'Review: the gala film', text: 'A wonderful film, great acting and a fun story.' },
  { id: 'review-sequel', title: 'Review: the sequel', text: 'A boring movie. The plot was awful.' },
  { id: 'review-classic', title: 'Review: the classic', text: 'I love this movie, it is very good.' },
  { id: 'review-remake', title: 'Review: the remake', text: 'I hate this film, terrible acting.' },
  { id: 'club-notes', title: 'Film club notes', text: 'The plot and the story of the film.' },
  { id: 'forecast-monday', title: 'Forecast for Monday', text: 'Sun all day, good weather.' },
  { id: 'forecast-tuesday', title: 'Forecast for Tuesday', text: 'Rain all day, the weather is awful.' },
  { id: 'picnic', title: 'Picnic report', text: 'A great day in the sun, it was fun.' },
  { id: 'commute', title: 'Commute report', text: 'Terrible rain, a very bad day.' },
  { id: 'weather-desk', title: 'Weather desk', text: 'The weather, day and day.' },
];
