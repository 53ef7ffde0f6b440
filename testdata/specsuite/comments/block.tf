/*
  Only a comment,
  over several lines.
*/
